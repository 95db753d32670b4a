package dev.ssmsession.cli.internal;

import dev.ssmsession.cli.CliContext;
import dev.ssmsession.cli.plugin.PluginMain;
import dev.ssmsession.cli.terminal.StatusPrintStream;
import dev.ssmsession.client.SessionManager;
import dev.ssmsession.client.SessionRequest;
import dev.ssmsession.client.SessionToken;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The training run of {@code session-manager-plugin}'s own start-up cache: the plugin's shell and its port forward,
 * each as the AWS CLI runs it, recorded in a JVM that loads nothing else. A cache holds every class its run loaded and
 * the JVM keeps all of it resident, so a plugin mapping the CLI's cache ({@link StartupTraining}: picocli, the SDK's
 * SSM client that starts sessions) carries ~12 MiB it never uses. Here this JVM starts the sessions (the SDK's SSM
 * client stays out of the recording) and a child JVM, with the recording flags given as arguments, attaches to them
 * with the plugin's code and nothing more.
 *
 * <p>Not a user command: {@code java -cp ssm-session.jar dev.ssmsession.cli.internal.PluginTraining
 * -XX:DumpLoadedClassList=lib/session-manager-plugin.classlist} (the build then dumps a static archive from the list;
 * see src/main/ant/startup-cache.xml), or {@code -XX:AOTCacheOutput=...}. Never fails: a failed run leaves no cache,
 * or one that covers less, and the launcher falls back to the CLI's.
 */
public final class PluginTraining {
    private static final long CHILD_TIMEOUT_SECONDS = 120;

    private PluginTraining() {}

    public static void main(String[] recordingFlags) throws Exception {
        Path logs = Files.createTempDirectory("ssm-session-plugin-training");
        boolean ok = false;
        try (StartupTraining.Testkit local = StartupTraining.Testkit.start(logs);
             ServerSocket echo = new ServerSocket(0, 8, InetAddress.getLoopbackAddress())) {
            StartupTraining.echoOnce(echo);
            int localPort;
            try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                localPort = probe.getLocalPort();
            }
            SessionToken shell;
            SessionToken port;
            try (SessionManager api = StartupTraining.manager(local)) {
                shell = api.startSession(SessionRequest.shell(local.target));
                port = api.startSession(SessionRequest.builder(local.target)
                        .documentName(SessionRequest.PORT_FORWARDING_DOCUMENT)
                        .parameter("portNumber", Integer.toString(echo.getLocalPort()))
                        .parameter("localPortNumber", Integer.toString(localPort)).build());
            }
            List<String> command = new ArrayList<>();
            command.add(ProcessHandle.current().info().command().orElse("java"));
            command.addAll(Arrays.asList(recordingFlags));
            command.addAll(List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xlog:disable",
                    "-Xlog:all=warning:stderr", "-cp", System.getProperty("java.class.path"), Recorded.class.getName(),
                    local.region(), local.ssmEndpoint(), local.target, StartupTraining.handOver(shell), StartupTraining.handOver(port),
                    Integer.toString(localPort)));
            ProcessBuilder child = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.INHERIT);
            child.environment().putAll(local.env);
            child.environment().put("SSM_SESSION_LOG_FILE", logs.resolve("plugin.log").toString());
            Process p = child.start();
            if (!p.waitFor(CHILD_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor();
                System.err.println("plugin training: the recorded run did not end within " + CHILD_TIMEOUT_SECONDS + " s");
            } else if (p.exitValue() != 0) {
                System.err.println("plugin training: the recorded run exited with " + p.exitValue());
            } else {
                ok = true;
            }
        } finally {
            if (!ok) {
                StartupTraining.showLogs(logs);
            }
            StartupTraining.deleteQuietly(logs);
        }
    }

    /**
     * The recorded JVM: {@code region endpoint target shellResponse portResponse localPort}. Runs the plugin's
     * shell to its end, then its port forward (one connection, 64 KiB each way), and halts: a port session ends on a
     * signal, whose shutdown path (TerminateSession through the SDK) is not worth the memory of every session.
     */
    public static final class Recorded {
        private Recorded() {}

        public static void main(String[] args) throws Exception {
            String region = args[0];
            String endpoint = args[1];
            String request = "{\"Target\":\"" + args[2] + "\"}";
            String portRequest = "{\"Target\":\"" + args[2] + "\",\"DocumentName\":\"" + SessionRequest.PORT_FORWARDING_DOCUMENT + "\"}";
            int localPort = Integer.parseInt(args[5]);
            PrintStream nowhere = new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8);
            StatusPrintStream quiet = StatusPrintStream.over(OutputStream.nullOutputStream(), () -> false, StandardCharsets.UTF_8);
            Map<String, String> env = System.getenv();
            CliContext shell = new CliContext(new ByteArrayInputStream("echo trained; exit\n".getBytes(StandardCharsets.UTF_8)),
                    nowhere, quiet, env, null, Optional::empty);
            int status = PluginMain.run(shell, quiet, List.of(args[3], region, "StartSession", "", request, endpoint));
            if (status != 0) {
                System.err.println("plugin training: the shell exited with " + status);
                Runtime.getRuntime().halt(1);
            }
            CliContext port = new CliContext(new ByteArrayInputStream(new byte[0]), nowhere, quiet, env, null, Optional::empty);
            Thread forward = new Thread(() -> PluginMain.run(port, quiet,
                    List.of(args[4], region, "StartSession", "", portRequest, endpoint)), "training-plugin-port");
            forward.setDaemon(true);
            forward.start();
            try (Socket s = connect(localPort)) {
                byte[] data = new byte[64 * 1024];
                s.getOutputStream().write(data);
                if (s.getInputStream().readNBytes(data.length).length != data.length) {
                    System.err.println("plugin training: the forward's echo ended early");
                    Runtime.getRuntime().halt(1);
                }
            }
            Runtime.getRuntime().halt(0);
        }

        private static Socket connect(int port) throws IOException, InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (true) {
                try {
                    return new Socket(InetAddress.getLoopbackAddress(), port);
                } catch (ConnectException e) {
                    if (System.nanoTime() > deadline) {
                        throw e;
                    }
                    Thread.sleep(20);
                }
            }
        }
    }
}
