package dev.ssmsession.dist;

import static org.assertj.core.api.Assertions.assertThat;

import com.pty4j.PtyProcess;
import com.pty4j.PtyProcessBuilder;
import dev.ssmsession.client.SessionManager;
import dev.ssmsession.client.SessionRequest;
import dev.ssmsession.client.SessionToken;
import dev.ssmsession.testkit.LocalSessionManager;
import dev.ssmsession.testkit.TestkitCredentials;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * The release archive as a user gets it: unpacked into an empty folder and run with no {@code JAVA_HOME} and no
 * {@code java} anywhere on {@code PATH}, so only its bundled runtime can run it.
 */
class DistributionIT {
    @TempDir
    static Path dir;

    /** The unpacked archive's top folder. */
    private static Path home;
    /** The environment every launcher runs with: nothing inherited, PATH without java. */
    private static Map<String, String> env;
    private static LocalSessionManager local;

    /** Why the build made no archive (no JDK that can link), or null. */
    private static String skipped;

    @BeforeAll
    static void unpack() throws Exception {
        Path target = Path.of(System.getProperty("ssmsession.dist", "target"));
        Path skippedNote = target.resolve("archive-skipped.txt");
        if (Files.exists(skippedNote)) {
            skipped = read(skippedNote).trim();
            return;
        }
        List<Path> archives;
        try (Stream<Path> files = Files.list(target)) {
            archives = files.filter(f -> f.getFileName().toString().matches("ssm-session-.*\\.tar\\.gz")).toList();
        }
        assertThat(archives).as("release archives in %s (build with mvn package)", target).hasSize(1);

        Path unpacked = Files.createDirectories(dir.resolve("unpacked with space"));
        Result tar = run(List.of("tar", "-xzf", archives.get(0).toString(), "-C", unpacked.toString()), System.getenv(),
                new byte[0]);
        assertThat(tar.exitCode()).as(tar.err()).isZero();
        try (Stream<Path> top = Files.list(unpacked)) {
            List<Path> folders = top.toList();
            assertThat(folders).as("one folder at the top of the archive").hasSize(1);
            home = folders.get(0);
        }

        env = new HashMap<>();
        env.put("PATH", pathWithoutJava(Files.createDirectories(dir.resolve("path"))));
        env.put("HOME", Files.createDirectories(dir.resolve("home")).toString());
        env.put("LANG", "C.UTF-8");
        Result which = run(List.of("/bin/sh", "-c", "command -v java"), env, new byte[0]);
        assertThat(which.exitCode()).as("java must not be on the test's PATH, found %s", which.out()).isNotZero();

        local = LocalSessionManager.builder().build().start();
    }

    /** Each test reports itself skipped, with the build's reason, rather than the class vanishing from the count. */
    @BeforeEach
    void archiveWasBuilt() {
        Assumptions.assumeTrue(skipped == null, () -> skipped);
    }

    @AfterAll
    static void stop() {
        if (local != null) {
            local.close();
        }
    }

    @Test
    void theArchiveHoldsWhatTheReadmeSays() {
        assertThat(home.getFileName().toString()).startsWith("ssm-session-");
        assertThat(home.resolve("bin/ssm-session")).isExecutable();
        assertThat(home.resolve("bin/session-manager-plugin")).isExecutable();
        assertThat(home.resolve("runtime/bin/java")).isExecutable();
        assertThat(home.resolve("lib/ssm-session.jar")).isRegularFile();
        assertThat(home.resolve("lib/ssm-session-doctor.jar")).isRegularFile();
        assertThat(home.resolve("completion/ssm-session.bash")).isRegularFile();
        assertThat(read(home.resolve("LICENSE"))).contains("Apache License", "Version 2.0, January 2004",
                "END OF TERMS AND CONDITIONS");
        assertThat(read(home.resolve("README"))).contains("session-manager-plugin", "bin/");
    }

    @Test
    void versionIsAnsweredByTheBundledRuntime() throws Exception {
        Result cli = run(List.of(launcher("ssm-session"), "--version"), env, new byte[0]);
        Result plugin = run(List.of(launcher("session-manager-plugin"), "--version"), env, new byte[0]);

        assertThat(cli.exitCode()).as(cli.err()).isZero();
        String version = home.getFileName().toString().substring("ssm-session-".length());
        assertThat(cli.out()).contains("ssm-session " + version, "session-manager-plugin compatible",
                "Java " + runtimeRelease().getProperty("JAVA_VERSION").replace("\"", ""));
        assertThat(plugin.exitCode()).as(plugin.err()).isZero();
        assertThat(plugin.out()).isEqualTo("1.2.764.0\n");
    }

    /**
     * The doctor lives in its own jar, loaded for {@code doctor} only: with no credentials at all it still runs its
     * first check on the bundled runtime and says what is wrong (exit 1: a check failed), with no stack trace.
     */
    @Test
    void theDoctorRunsFromItsOwnJar() throws Exception {
        Map<String, String> noCredentials = new HashMap<>(env);
        noCredentials.put("AWS_EC2_METADATA_DISABLED", "true");
        Result result = run(List.of(launcher("ssm-session"), "--region", "us-east-1", "doctor", "--target",
                "i-0123456789abcdef0", "--no-session"), noCredentials, new byte[0]);

        assertThat(result.exitCode()).as(result.out() + result.err()).isEqualTo(1);
        assertThat((result.out() + result.err()).toLowerCase(java.util.Locale.ROOT)).contains("credentials")
                .doesNotContain("noclassdeffounderror", "exception in thread", "\tat ");
    }

    @Test
    void pluginInstallationCheckWithNoArguments() throws Exception {
        Result result = run(List.of(launcher("session-manager-plugin")), env, new byte[0]);

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).contains("The Session Manager plugin was installed successfully.");
        assertThat(result.err()).isEmpty();
    }

    /**
     * What the AWS CLI does: StartSession (here through the library), then the plugin with the response. The JVM is
     * told to fail rather than start without the archive's start-up cache, so the cache recorded at build time must
     * fit the runtime and the jar where they were unpacked.
     */
    @Test
    void shellSessionThroughThePlugin() throws Exception {
        SessionToken token;
        try (SessionManager manager = manager()) {
            token = manager.startSession(SessionRequest.shell(local.defaultTarget()));
        }
        String response = "{\"SessionId\": \"" + token.sessionId() + "\", \"TokenValue\": \"" + token.tokenValue()
                + "\", \"StreamUrl\": \"" + token.streamUrl() + "\"}";
        Map<String, String> sessionEnv = withCredentials(env);
        sessionEnv.put("SSM_SESSION_JAVA_OPTS", requireStartupCache());

        Result result = run(List.of(launcher("session-manager-plugin"), response, local.region(), "StartSession", "",
                "{\"Target\": \"" + local.defaultTarget() + "\"}", local.ssmEndpoint().toString()), sessionEnv,
                "echo marker-$((6*7))\nexit\n".getBytes(StandardCharsets.UTF_8));

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).contains("marker-42");
        assertThat(result.err()).contains("Starting session with SessionId: " + token.sessionId())
                .doesNotContain("\tat ");
    }

    /** The README's first command, on a real terminal: the embedded testkit (PTY, HTTP server) runs on the runtime. */
    @Test
    void demoOpensAShell() throws Exception {
        Map<String, String> demoEnv = new HashMap<>(env);
        demoEnv.put("TERM", "xterm-256color");
        demoEnv.put("SSM_SESSION_JAVA_OPTS", requireStartupCache());
        PtyProcess demo = new PtyProcessBuilder(new String[] {launcher("ssm-session"), "demo"})
                .setEnvironment(demoEnv).setInitialColumns(100).setInitialRows(30).setRedirectErrorStream(true).start();
        try {
            Screen screen = new Screen(demo);
            int at = screen.await("Starting session with SessionId", 0);
            demo.getOutputStream().write("echo demo-$((6*7))\r".getBytes(StandardCharsets.UTF_8));
            demo.getOutputStream().flush();
            at = screen.await("demo-42", at);
            demo.getOutputStream().write("exit\r".getBytes(StandardCharsets.UTF_8));
            demo.getOutputStream().flush();
            screen.await("Exiting session with sessionId", at);
            assertThat(demo.waitFor(60, TimeUnit.SECONDS)).as("demo exits").isTrue();
            assertThat(demo.exitValue()).as(screen.text()).isZero();
        } finally {
            demo.destroyForcibly();
        }
    }

    /**
     * JVM options that make start-up fail unless the archive's start-up cache maps: its AOT cache (Java 25+), else
     * the runtime's CDS archive of the JDK's classes (an archive linked from Java 17).
     */
    private static String requireStartupCache() {
        return Files.exists(home.resolve("lib/ssm-session.aot")) ? "-XX:AOTMode=on" : "-Xshare:on";
    }

    private static String launcher(String name) {
        return home.resolve("bin").resolve(name).toString();
    }

    private static Properties runtimeRelease() throws IOException {
        Properties release = new Properties();
        try (InputStream in = Files.newInputStream(home.resolve("runtime/release"))) {
            release.load(in);
        }
        return release;
    }

    private static SessionManager manager() {
        TestkitCredentials c = local.credentials();
        return SessionManager.builder().region(local.region()).ssmEndpoint(local.ssmEndpoint())
                .kmsEndpoint(local.kmsEndpoint()).environment(Map.of())
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsSessionCredentials.create(c.accessKeyId(), c.secretAccessKey(), c.sessionToken())))
                .build();
    }

    private static Map<String, String> withCredentials(Map<String, String> base) {
        TestkitCredentials c = local.credentials();
        Map<String, String> env = new HashMap<>(base);
        env.put("AWS_ACCESS_KEY_ID", c.accessKeyId());
        env.put("AWS_SECRET_ACCESS_KEY", c.secretAccessKey());
        env.put("AWS_SESSION_TOKEN", c.sessionToken());
        env.put("AWS_REGION", local.region());
        env.put("AWS_EC2_METADATA_DISABLED", "true");
        return env;
    }

    /**
     * This machine's PATH with every folder that holds a {@code java} replaced by a copy made of symlinks to all its
     * other entries (so {@code /usr/bin}'s sh tools stay, its {@code java} goes).
     */
    private static String pathWithoutJava(Path mirrors) throws IOException {
        List<String> entries = new ArrayList<>();
        int n = 0;
        for (String entry : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            Path folder = Path.of(entry.isEmpty() ? "." : entry);
            if (!Files.isDirectory(folder)) {
                continue;
            }
            if (!Files.exists(folder.resolve("java"))) {
                entries.add(folder.toString());
                continue;
            }
            Path mirror = Files.createDirectories(mirrors.resolve(Integer.toString(n++)));
            try (Stream<Path> files = Files.list(folder)) {
                for (Path file : (Iterable<Path>) files::iterator) {
                    if (!file.getFileName().toString().equals("java")) {
                        Files.createSymbolicLink(mirror.resolve(file.getFileName()), file);
                    }
                }
            }
            entries.add(mirror.toString());
        }
        return String.join(":", entries);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    record Result(int exitCode, String out, String err) {}

    /** Runs a command with exactly {@code env} (nothing inherited). */
    private static Result run(List<String> command, Map<String, String> env, byte[] stdin)
            throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().clear();
        builder.environment().putAll(env);
        Process process = builder.start();
        CompletableFuture<String> out = drain(process.getInputStream());
        CompletableFuture<String> err = drain(process.getErrorStream());
        try (var in = process.getOutputStream()) {
            in.write(stdin);
        } catch (IOException closedEarly) {
            // the process may exit before reading its stdin
        }
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("timed out: " + command + "\nstdout: " + out.getNow("") + "\nstderr: "
                    + err.getNow(""));
        }
        return new Result(process.exitValue(), out.join(), err.join());
    }

    private static CompletableFuture<String> drain(InputStream stream) {
        return CompletableFuture.supplyAsync(() -> {
            try (InputStream in = stream) {
                ByteArrayOutputStream buffer = new ByteArrayOutputStream();
                in.transferTo(buffer);
                return buffer.toString(StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** What a process on a PTY printed, for waiting on. */
    private static final class Screen {
        private final StringBuilder text = new StringBuilder();

        Screen(PtyProcess process) {
            Thread reader = new Thread(() -> {
                byte[] buffer = new byte[4096];
                try (InputStream in = process.getInputStream()) {
                    for (int n; (n = in.read(buffer)) >= 0; ) {
                        synchronized (text) {
                            text.append(new String(buffer, 0, n, StandardCharsets.ISO_8859_1));
                            text.notifyAll();
                        }
                    }
                } catch (IOException e) {
                    // the PTY reports an error on some platforms when the process exits
                }
            }, "pty-reader");
            reader.setDaemon(true);
            reader.start();
        }

        /** Waits up to 60 s for {@code wanted} after position {@code from}; returns the position after it. */
        int await(String wanted, int from) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            synchronized (text) {
                for (int at; (at = text.indexOf(wanted, from)) < 0; ) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        throw new AssertionError("'" + wanted + "' did not appear within 60 s; screen:\n"
                                + text.substring(from));
                    }
                    TimeUnit.NANOSECONDS.timedWait(text, left);
                }
                return text.indexOf(wanted, from) + wanted.length();
            }
        }

        String text() {
            synchronized (text) {
                return text.toString();
            }
        }
    }
}
