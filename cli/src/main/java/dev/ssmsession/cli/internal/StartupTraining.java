package dev.ssmsession.cli.internal;

import dev.ssmsession.cli.CliContext;
import dev.ssmsession.cli.DefaultSessions;
import dev.ssmsession.cli.SsmSession;
import dev.ssmsession.cli.plugin.PluginMain;
import dev.ssmsession.cli.terminal.StatusPrintStream;
import dev.ssmsession.client.PortForward;
import dev.ssmsession.client.SessionManager;
import dev.ssmsession.client.SessionRequest;
import dev.ssmsession.client.SessionToken;
import dev.ssmsession.protocol.json.Json;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.Writer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The run the build records the class-data-sharing archive from ({@code -XX:ArchiveClassesAtExit}): what users run
 * most, against the embedded local Session Manager on loopback, so the archive holds the classes those paths load
 * (Jackson, the SDK's signer and credentials, logging, the engine, the transport) and not only the CLI's parser.
 * Prints the bash completion script on stdout (the build keeps it); everything else goes nowhere.
 *
 * <p>Not a user command: {@code java -cp ssm-session.jar dev.ssmsession.cli.internal.StartupTraining}.
 */
public final class StartupTraining {
    private StartupTraining() {}

    public static void main(String[] args) throws Exception {
        PrintStream realOut = System.out;
        PrintStream nowhere = new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8);
        StatusPrintStream quiet = StatusPrintStream.over(OutputStream.nullOutputStream(), () -> false, StandardCharsets.UTF_8);
        Path logs = Files.createTempDirectory("ssm-session-training");
        int failures = 0;
        // The testkit runs in a JVM of its own, so that its classes (server, PTY, simulated agent) stay out of the
        // archive: users' processes never load them, and every archived class costs memory where it is mapped.
        try (Testkit local = Testkit.start(logs)) {
            Map<String, String> env = new java.util.HashMap<>(local.env);
            env.put("SSM_SESSION_LOG_FILE", logs.resolve("plugin.log").toString());
            // ssm-session exec: the CLI's whole path, picocli included
            failures += attempt("exec", () -> withSystemCredentials(local, () -> SsmSession.execute(
                    new CliContext(empty(), nowhere, quiet, env, DefaultSessions.create(env, quiet), Optional::empty),
                    "--log-file", logs.resolve("cli.log").toString(), "exec", "--target", local.target, "true")));
            // session-manager-plugin as the AWS CLI runs it: a shell in pipe mode
            failures += attempt("plugin shell", () -> withSystemCredentials(local, () -> plugin(local, env, nowhere, quiet)));
            // a port forward through the library: smux, the socket bridge
            failures += attempt("port forward", () -> forward(local));
        } finally {
            System.setOut(realOut);
            if (failures > 0) {
                showLogs(logs);
            }
            deleteQuietly(logs);
        }
        // Last, and on stdout: the completion script.
        SsmSession.execute(new CliContext(empty(), realOut, quiet, Map.of(), null, Optional::empty), "generate-completion");
        if (failures > 0) {
            System.err.println("start-up training: " + failures + " path(s) failed; the archive covers less");
        }
    }

    /** {@code ssm-session local} in a child JVM, and what it printed: the environment that points clients at it. */
    static final class Testkit implements AutoCloseable {
        final Process process;
        final Map<String, String> env = new java.util.HashMap<>();
        String target;

        private Testkit(Process process) {
            this.process = process;
        }

        static Testkit start(Path logs) throws IOException {
            String javaBin = ProcessHandle.current().info().command().orElse("java");
            Process p = new ProcessBuilder(javaBin, "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                    "dev.ssmsession.cli.Main", "local", "--log-file", logs.resolve("testkit.log").toString())
                    .redirectErrorStream(true).start();
            Testkit t = new Testkit(p);
            var lines = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            for (String line; (line = lines.readLine()) != null; ) {
                if (line.startsWith("export ")) {
                    for (String pair : line.substring(7).trim().split("\\s+")) {
                        int eq = pair.indexOf('=');
                        t.env.put(pair.substring(0, eq), pair.substring(eq + 1));
                    }
                } else if (line.startsWith("#   target:")) {
                    t.target = line.substring(line.indexOf(':') + 1).trim();
                } else if (line.contains("running")) {
                    break;
                }
            }
            if (t.target == null || !t.env.containsKey("AWS_ENDPOINT_URL_SSM")) {
                t.close();
                throw new IOException("the local Session Manager did not start");
            }
            Thread drain = new Thread(() -> {
                try {
                    lines.transferTo(Writer.nullWriter());
                } catch (IOException ignored) {
                    // it stopped
                }
            }, "training-testkit-output");
            drain.setDaemon(true);
            drain.start();
            return t;
        }

        String region() {
            return env.get("AWS_REGION");
        }

        String ssmEndpoint() {
            return env.get("AWS_ENDPOINT_URL_SSM");
        }

        @Override
        public void close() {
            process.destroy();
            try {
                if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }

    private interface Step {
        int run() throws Exception;
    }

    private static int attempt(String what, Step step) {
        try {
            int status = step.run();
            if (status != 0) {
                System.err.println("start-up training: " + what + " exited with " + status);
            }
            return status == 0 ? 0 : 1;
        } catch (Exception | AssertionError e) {
            System.err.println("start-up training: " + what + ": " + e);
            return 1;
        }
    }

    /** Into the build's cds-dump.log: why a path failed. */
    static void showLogs(Path dir) {
        try (var files = Files.list(dir)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                List<String> lines = Files.readAllLines(f);
                System.err.println("--- " + f.getFileName());
                lines.subList(Math.max(0, lines.size() - 30), lines.size()).forEach(System.err::println);
            }
        } catch (IOException ignored) {
            // nothing more to show
        }
    }

    static void deleteQuietly(Path dir) {
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temporary folder; the system cleans it eventually
        }
    }

    private static InputStream empty() {
        return new ByteArrayInputStream(new byte[0]);
    }

    private static int plugin(Testkit local, Map<String, String> env, PrintStream out, StatusPrintStream err)
            throws IOException {
        SessionToken token;
        try (SessionManager api = manager(local)) {
            token = api.startSession(SessionRequest.shell(local.target));
        }
        String response = handOver(token);
        String request = "{\"Target\":\"" + local.target + "\"}";
        CliContext context = new CliContext(new ByteArrayInputStream("echo trained; exit\n".getBytes(StandardCharsets.UTF_8)),
                out, err, env, null, Optional::empty);
        return PluginMain.run(context, err, List.of(response, local.region(), "StartSession", "", request, local.ssmEndpoint()));
    }

    private static int forward(Testkit local) throws IOException {
        try (ServerSocket echo = new ServerSocket(0, 8, InetAddress.getLoopbackAddress());
             SessionManager ssm = manager(local)) {
            echoOnce(echo);
            try (PortForward fwd = ssm.forwardPort(local.target, "127.0.0.1", echo.getLocalPort(), PortForward.Options.defaults());
                 Socket s = new Socket(fwd.localAddress().getAddress(), fwd.localAddress().getPort())) {
                byte[] data = new byte[64 * 1024];
                s.getOutputStream().write(data);
                s.getInputStream().readNBytes(data.length);
            }
        }
        return 0;
    }

    /** The StartSession response as the AWS CLI hands it to the plugin (its first argument). */
    static String handOver(SessionToken token) {
        return "{\"SessionId\":" + Json.quote(token.sessionId()) + ",\"TokenValue\":" + Json.quote(token.tokenValue())
                + ",\"StreamUrl\":" + Json.quote(token.streamUrl().toString()) + "}";
    }

    /** Echoes what the first connection to {@code server} sends, on a daemon thread, until it closes. */
    static void echoOnce(ServerSocket server) {
        Thread echo = new Thread(() -> {
            try (Socket s = server.accept()) {
                s.getInputStream().transferTo(s.getOutputStream());
            } catch (IOException ignored) {
                // the training is over
            }
        }, "training-echo");
        echo.setDaemon(true);
        echo.start();
    }

    static SessionManager manager(Testkit local) {
        return SessionManager.builder().region(local.region()).environment(local.env)
                .credentialsProvider(StaticCredentialsProvider.create(AwsSessionCredentials.create(
                        local.env.get("AWS_ACCESS_KEY_ID"), local.env.get("AWS_SECRET_ACCESS_KEY"),
                        local.env.get("AWS_SESSION_TOKEN"))))
                .build();
    }

    /** The plugin resolves credentials with the SDK's default chain, whose first link is these properties. */
    private static int withSystemCredentials(Testkit local, Step run) throws Exception {
        Map<String, String> props = Map.of("aws.accessKeyId", local.env.get("AWS_ACCESS_KEY_ID"),
                "aws.secretAccessKey", local.env.get("AWS_SECRET_ACCESS_KEY"),
                "aws.sessionToken", local.env.get("AWS_SESSION_TOKEN"));
        props.forEach(System::setProperty);
        try {
            return run.run();
        } finally {
            props.keySet().forEach(System::clearProperty);
        }
    }
}
