package dev.ssmsession.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ssmsession.testkit.LocalSessionManager;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Port forwarding and stdio through the packaged launchers against the testkit, whose agent dials a loopback echo
 * server in this test: several concurrent connections with their bytes checked, Ctrl-C ending a plugin port
 * session started by the AWS CLI, and {@code ssh-proxy} as a ProxyCommand would use it.
 */
class ForwardingIT {
    private static final Pattern PORT_OPENED = Pattern.compile("Port (\\d+) opened for sessionId (\\S+)\\.");

    private static LocalSessionManager local;
    private static ServerSocket echo;
    private static final ExecutorService POOL = Executors.newCachedThreadPool();

    @TempDir
    static Path home;

    @BeforeAll
    static void start() throws IOException {
        local = LocalSessionManager.builder().build().start();
        echo = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        POOL.execute(() -> {
            while (!echo.isClosed()) {
                try {
                    Socket s = echo.accept();
                    POOL.execute(() -> {
                        try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
                            in.transferTo(out);
                        } catch (IOException ignored) {
                            // client went away
                        }
                    });
                } catch (IOException e) {
                    return;
                }
            }
        });
    }

    @AfterAll
    static void stop() throws IOException {
        echo.close();
        local.close();
        POOL.shutdownNow();
    }

    private static byte[] roundTrip(int port, int size, long seed) throws IOException {
        byte[] data = new byte[size];
        new Random(seed).nextBytes(data);
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(60_000);
            // no shutdownOutput(): a tunnel has no TCP half-close, a FIN ends the connection (SPEC §8.4)
            Future<?> writer = POOL.submit(() -> {
                s.getOutputStream().write(data);
                s.getOutputStream().flush();
                return null;
            });
            ByteArrayOutputStream back = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            InputStream in = s.getInputStream();
            while (back.size() < size) {
                int n = in.read(buffer);
                if (n < 0) {
                    break;
                }
                back.write(buffer, 0, n);
            }
            try {
                writer.get(60, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IOException(e);
            }
            assertThat(back.size()).as("bytes echoed").isEqualTo(size);
            assertThat(sha256(back.toByteArray())).as("sha-256 of the echo").isEqualTo(sha256(data));
            return data;
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void portForwardCarriesConcurrentConnections() throws Exception {
        Map<String, String> env = TestkitEnvironment.of(local, home);
        String[] command = {Launchers.bin().resolve("ssm-session").toString(), "--endpoint-url",
            local.ssmEndpoint().toString(), "port-forward", "--target", local.defaultTarget(),
            "-L", "0:" + echo.getLocalPort()};
        try (PtyScreen pty = new PtyScreen(command, env, 120, 40)) {
            pty.await("Waiting for connections...");
            Matcher m = PORT_OPENED.matcher(pty.text());
            assertThat(m.find()).isTrue();
            int port = Integer.parseInt(m.group(1));
            List<CompletableFuture<byte[]>> transfers = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                int seed = i;
                transfers.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        return roundTrip(port, 200_000 + seed * 1000, seed);
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }, POOL));
            }
            CompletableFuture.allOf(transfers.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);

            pty.type((byte) 0x03); // Ctrl-C on the terminal: SIGINT ends the forward
            pty.await("Exiting session with sessionId");
            assertThat(pty.exitCode(30)).isEqualTo(130);
        }
    }

    /**
     * On a terminal (here a PTY) the reconnect status is a line redrawn in place (where the live status line was),
     * then the outcome below it.
     */
    @Test
    void portForwardOnATerminalShowsTheReconnectOnOneLine() throws Exception {
        Map<String, String> env = TestkitEnvironment.of(local, home);
        String[] command = {Launchers.bin().resolve("ssm-session").toString(), "--endpoint-url",
            local.ssmEndpoint().toString(), "port-forward", "--target", local.defaultTarget(),
            "-L", "0:" + echo.getLocalPort()};
        try (PtyScreen pty = new PtyScreen(command, env, 120, 40)) {
            int at = pty.await("Waiting for connections...");
            Matcher m = PORT_OPENED.matcher(pty.text());
            assertThat(m.find()).isTrue();
            roundTrip(Integer.parseInt(m.group(1)), 10_000, 1);

            local.cutConnection(m.group(2));
            // in place of the live status line, which stays away until the channel is back
            at = pty.await("\r\033[KConnection to the service lost; reconnecting (giving up at ", at, 60);
            at = pty.await("\nConnection to the service restored after ", at, 60);
            pty.await(" s.", at, 60);
            roundTrip(Integer.parseInt(m.group(1)), 10_000, 2);

            pty.type((byte) 0x03);
            pty.await("Exiting session with sessionId");
            assertThat(pty.exitCode(30)).isEqualTo(130);
        }
    }

    /** On a terminal, a live status line shows the forward's sessions, connections and bytes, and is erased on exit. */
    @Test
    void portForwardOnATerminalKeepsALiveStatusLine() throws Exception {
        Map<String, String> env = TestkitEnvironment.of(local, home);
        String[] command = {Launchers.bin().resolve("ssm-session").toString(), "--endpoint-url",
            local.ssmEndpoint().toString(), "port-forward", "--target", local.defaultTarget(), "--sessions", "2",
            "-L", "0:" + echo.getLocalPort()};
        try (PtyScreen pty = new PtyScreen(command, env, 200, 40)) {
            int at = pty.await("Waiting for connections...");
            Matcher m = PORT_OPENED.matcher(pty.text());
            assertThat(m.find()).isTrue();
            int port = Integer.parseInt(m.group(1));
            at = pty.await(port + ": 1/2 sessions, 0 connections (0 in all), received 0 B", at, 60);
            try (Socket a = new Socket(InetAddress.getLoopbackAddress(), port);
                 Socket b = new Socket(InetAddress.getLoopbackAddress(), port)) {
                for (Socket s : List.of(a, b)) {
                    s.getOutputStream().write(new byte[1000]);
                    assertThat(s.getInputStream().readNBytes(1000)).hasSize(1000);
                }
                // redrawn in place: erase-line, then the new text
                at = pty.await("\r\033[K" + port + ": 2/2 sessions, 2 connections (2 in all), received 2.0 kB", at, 60);
            }
            at = pty.await(", 0 connections (2 in all)", at, 60);

            pty.type((byte) 0x03);
            // the line is erased, and the exit messages start where it was
            pty.await("\r\033[KTerminate signal received, exiting.", at, 60);
            assertThat(pty.exitCode(30)).isEqualTo(130);
        }
    }

    /** Several forwards: a status line each, redrawn together. */
    @Test
    void twoForwardsOnATerminalHaveAStatusLineEach() throws Exception {
        Map<String, String> env = TestkitEnvironment.of(local, home);
        String[] command = {Launchers.bin().resolve("ssm-session").toString(), "--endpoint-url",
            local.ssmEndpoint().toString(), "port-forward", "--target", local.defaultTarget(),
            "-L", "0:" + echo.getLocalPort(), "-L", "0:" + echo.getLocalPort()};
        try (PtyScreen pty = new PtyScreen(command, env, 200, 40)) {
            int at = pty.await("Waiting for connections...");
            Matcher m = PORT_OPENED.matcher(pty.text());
            assertThat(m.find()).isTrue();
            int first = Integer.parseInt(m.group(1));
            assertThat(m.find()).isTrue();
            int second = Integer.parseInt(m.group(1));
            String idle = ": 1/1 session, 0 connections (0 in all), received 0 B, sent 0 B";
            // the PTY turns the line break into CR CR LF (onlcr)
            pty.await(first + idle + "\r\r\n" + second + idle, at, 60);
            roundTrip(second, 3000, 5);
            pty.await("\033[1A\r\033[K" + first + ": 1/1 session, 0 connections (0 in all), received 0 B", at, 60);
            pty.await(second + ": 1/1 session, 0 connections (1 in all), received 3.0 kB", at, 60);

            pty.type((byte) 0x03);
            // both lines erased (the last, then the one above) before the exit messages
            pty.await("\r\033[K\033[1A\r\033[KTerminate signal received, exiting.", at, 60);
            assertThat(pty.exitCode(30)).isEqualTo(130);
        }
    }

    /** A custom document with {@code localConnectionType unix}: the plugin listens on the socket the AWS CLI names. */
    @Test
    void thePluginListensOnALocalUnixSocketWhenTheDocumentAsks() throws Exception {
        Assumptions.assumeTrue(TestkitEnvironment.awsCliInstalled(), "the AWS CLI (aws) is not on PATH");
        Map<String, String> env = TestkitEnvironment.of(local, home);
        Path socket = home.resolve("forward-" + System.nanoTime() + ".sock");
        String[] command = {"aws", "ssm", "start-session", "--target", local.defaultTarget(), "--endpoint-url",
            local.ssmEndpoint().toString(), "--document-name", "Testkit-StartPortForwardingSessionToUnixSocket",
            "--parameters", "portNumber=" + echo.getLocalPort() + ",localUnixSocket=" + socket};
        try (PtyScreen pty = new PtyScreen(command, env, 200, 40)) {
            pty.await("Unix socket " + socket + " opened for sessionId ");
            pty.await("Waiting for connections...");
            byte[] data = new byte[50_000];
            new Random(3).nextBytes(data);
            try (java.nio.channels.SocketChannel ch = java.nio.channels.SocketChannel.open(
                    java.net.UnixDomainSocketAddress.of(socket))) {
                java.nio.ByteBuffer out = java.nio.ByteBuffer.wrap(data);
                Future<?> writer = POOL.submit(() -> {
                    while (out.hasRemaining()) {
                        ch.write(out);
                    }
                    return null;
                });
                java.nio.ByteBuffer back = java.nio.ByteBuffer.allocate(data.length);
                while (back.hasRemaining() && ch.read(back) >= 0) {
                    // until all came back
                }
                writer.get(60, TimeUnit.SECONDS);
                assertThat(back.array()).as("echoed through the unix socket, both ways").isEqualTo(data);
            }
            pty.await("Connection accepted for session [");
            pty.type((byte) 0x03);
            pty.await("Exiting session with sessionId");
            assertThat(pty.exitCode(30)).isZero();
            assertThat(socket).as("removed on exit").doesNotExist();
        }
    }

    @Test
    void ctrlCEndsAPortSessionStartedByTheAwsCli() throws Exception {
        Assumptions.assumeTrue(TestkitEnvironment.awsCliInstalled(), "the AWS CLI (aws) is not on PATH");
        Map<String, String> env = TestkitEnvironment.of(local, home);
        String[] command = {"aws", "ssm", "start-session", "--target", local.defaultTarget(), "--endpoint-url",
            local.ssmEndpoint().toString(), "--document-name", "AWS-StartPortForwardingSession", "--parameters",
            "portNumber=" + echo.getLocalPort() + ",localPortNumber=0"};
        try (PtyScreen pty = new PtyScreen(command, env, 120, 40)) {
            pty.await("Waiting for connections...");
            Matcher m = PORT_OPENED.matcher(pty.text());
            assertThat(m.find()).isTrue();
            roundTrip(Integer.parseInt(m.group(1)), 100_000, 42);

            pty.type((byte) 0x03); // the AWS CLI ignores SIGINT; the plugin must still end
            pty.await("Terminate signal received, exiting.");
            pty.await("Exiting session with sessionId: " + m.group(2));
            assertThat(pty.exitCode(30)).isZero();
        }
    }

    @Test
    void sshProxyRelaysStdinAndStdout() throws Exception {
        ProcessBuilder builder = new ProcessBuilder(Launchers.bin().resolve("ssm-session").toString(),
                "--endpoint-url", local.ssmEndpoint().toString(), "ssh-proxy", local.defaultTarget(),
                Integer.toString(echo.getLocalPort()));
        builder.environment().putAll(TestkitEnvironment.of(local, home));
        Process process = builder.start();
        byte[] data = new byte[300_000];
        new Random(7).nextBytes(data);
        CompletableFuture<byte[]> stdout = CompletableFuture.supplyAsync(() -> {
            ByteArrayOutputStream back = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            try {
                InputStream in = process.getInputStream();
                while (back.size() < data.length) {
                    int n = in.read(buffer);
                    if (n < 0) {
                        break;
                    }
                    back.write(buffer, 0, n);
                }
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            return back.toByteArray();
        }, POOL);
        CompletableFuture<String> stderr = CompletableFuture.supplyAsync(() -> {
            try {
                return new String(process.getErrorStream().readAllBytes());
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }, POOL);
        process.getOutputStream().write(data);
        process.getOutputStream().flush();

        byte[] echoed = stdout.get(120, TimeUnit.SECONDS);
        assertThat(echoed.length).isEqualTo(data.length);
        assertThat(sha256(echoed)).isEqualTo(sha256(data));
        process.getOutputStream().close(); // what ssh does when it is done: stdin EOF ends the session
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as(stderr.getNow("")).isTrue();
        assertThat(process.exitValue()).as(stderr.get()).isZero();
    }

    /** How ssh-proxy's standard input is set up for a run. */
    enum Stdin { OPEN, EMPTY_PIPE, DEV_NULL, CLOSED_DESCRIPTOR }

    /**
     * ssh would only say "Connection closed by remote host": the proxy must say why, and fail, whatever its stdin —
     * also when stdin ends at once, which used to end the session before the agent could report the refused dial.
     */
    @ParameterizedTest
    @EnumSource(Stdin.class)
    void sshProxyToAPortNothingListensOnFailsWithTheReasonWhateverItsStdin(Stdin stdin) throws Exception {
        int closedPort;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = free.getLocalPort();
        }
        List<String> command = new ArrayList<>(List.of(Launchers.bin().resolve("ssm-session").toString(),
                "--endpoint-url", local.ssmEndpoint().toString(), "ssh-proxy", local.defaultTarget(),
                Integer.toString(closedPort)));
        if (stdin == Stdin.CLOSED_DESCRIPTOR) {
            command.addAll(0, List.of("/bin/sh", "-c", "exec \"$0\" \"$@\" <&-"));
        }
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().putAll(TestkitEnvironment.of(local, home));
        if (stdin == Stdin.DEV_NULL) {
            builder.redirectInput(new java.io.File("/dev/null"));
        }
        Process process = builder.start();
        if (stdin == Stdin.EMPTY_PIPE) {
            process.getOutputStream().close();
        }
        CompletableFuture<String> stderr = CompletableFuture.supplyAsync(() -> {
            try {
                return new String(process.getErrorStream().readAllBytes());
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }, POOL);
        try {
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("ended").isTrue();
            assertThat(process.exitValue()).as(stderr.get()).isEqualTo(1);
            assertThat(process.getInputStream().readAllBytes()).isEmpty();
            assertThat(stderr.get()).contains("ssm-session: ", "Connection refused", "hint: ")
                    .doesNotContain("\tat ", "Exception");
        } finally {
            process.destroyForcibly();
        }
    }
}
