package dev.ssmsession.client.it;

import dev.ssmsession.client.PortForward;
import dev.ssmsession.client.SessionManager;
import dev.ssmsession.client.ShellSession;
import dev.ssmsession.protocol.channel.DataChannelConfig;
import dev.ssmsession.testkit.LocalSessionManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * 100 sessions (port forwards with a connection each, and shells) opened, used and closed through one manager
 * leave no thread, socket or file descriptor behind once they and the manager are closed.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class HygieneIntegrationTest {
    private static final Path FDS = Path.of("/proc/self/fd");
    /** Descriptors the JVM may open lazily on its own (a jar, a random source) while the test runs. */
    private static final int FD_TOLERANCE = 8;

    @Test
    void hundredSessionsLeaveNoThreadsSocketsOrDescriptorsBehind() throws Exception {
        try (LocalSessionManager local = LocalSessionManager.builder().noRateLimit().build().start();
             EchoServer echo = new EchoServer()) {
            runSessions(local, echo, 4);  // warm-up: classes loaded, jars opened, testkit pools started
            awaitSettled(() -> clientThreads().isEmpty(), "the warm-up manager's threads to end");
            int fdsBefore = openFds();
            int threadsBefore = Thread.getAllStackTraces().size();

            int peakClientThreads = runSessions(local, echo, 100);

            assertThat(peakClientThreads).as("client threads while sessions come and go (pools reuse them)")
                    .isLessThan(40);
            awaitSettled(() -> clientThreads().isEmpty(), "every ssm-session thread to end after close()");
            assertThat(clientThreads()).as("client threads left").isEmpty();
            awaitSettled(() -> openFds() <= fdsBefore + FD_TOLERANCE && Thread.getAllStackTraces().size() <= threadsBefore + 4,
                    "descriptors and threads back to the baseline");
            assertThat(openFds()).as("open descriptors (before: %d; now: %s; testkit api %d, ws %d, echo %d)", fdsBefore,
                            describeFds(), local.ssmEndpoint().getPort(), local.streamUrlBase().getPort(), echo.port())
                    .isLessThanOrEqualTo(fdsBefore + FD_TOLERANCE);
            List<String> all = Thread.getAllStackTraces().keySet().stream().map(Thread::getName).sorted().toList();
            assertThat(all.size()).as("all live threads, the testkit's included: %s", all)
                    .isLessThanOrEqualTo(threadsBefore + 4);
        }
    }

    /** {@code n} sessions one after the other; every fourth a shell, the others a forward with one echoed connection. */
    private static int runSessions(LocalSessionManager local, EchoServer echo, int n) throws Exception {
        int peak = 0;
        try (SessionManager manager = Testkit.managerFor(local)
                .dataChannelConfig(DataChannelConfig.builder().messagesPerSecond(0).build()).build()) {
            for (int i = 0; i < n; i++) {
                if (i % 4 == 0) {
                    try (ShellSession shell = manager.shell(local.defaultTarget())) {
                        shell.stdin().write(("echo hygiene-$((" + i + "+1))\r").getBytes(StandardCharsets.UTF_8));
                        FaultMatrixIntegrationTest.readUntil(shell.stdout(), "hygiene-" + (i + 1));
                    }
                } else {
                    try (PortForward fwd = manager.forwardPort(local.defaultTarget(), null, echo.port(),
                            PortForward.Options.defaults())) {
                        fwd.session().awaitInfo(Duration.ofSeconds(20));
                        try (Socket s = new Socket(fwd.localAddress().getAddress(), fwd.localAddress().getPort())) {
                            Transfers.assertEchoes(s, 4096, i);
                        }
                    }
                }
                peak = Math.max(peak, clientThreads().size());
            }
        }
        return peak;
    }

    static List<Thread> clientThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .filter(t -> t.getName().startsWith("ssm-session"))
                .toList();
    }

    static int openFds() {
        try (Stream<Path> s = Files.list(FDS)) {
            return (int) s.count();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Open descriptors by kind, and the loopback TCP ports of the sockets, to tell whose they are. */
    static String describeFds() {
        java.util.Map<String, Integer> kinds = new java.util.TreeMap<>();
        java.util.Set<String> inodes = new java.util.HashSet<>();
        try (Stream<Path> s = Files.list(FDS)) {
            for (Path p : s.toList()) {
                String target;
                try {
                    target = Files.readSymbolicLink(p).toString();
                } catch (IOException gone) {
                    continue;
                }
                if (target.startsWith("socket:[")) {
                    inodes.add(target.substring(8, target.length() - 1));
                }
                kinds.merge(target.replaceAll("\\[\\d+\\]|^/.*/", ""), 1, Integer::sum);
            }
            StringBuilder tcp = new StringBuilder();
            for (String table : List.of("/proc/self/net/tcp", "/proc/self/net/tcp6")) {
                for (String line : Files.readAllLines(Path.of(table))) {
                    String[] f = line.trim().split("\\s+");
                    if (f.length > 9 && inodes.contains(f[9])) {
                        tcp.append(' ').append(port(f[1])).append("->").append(port(f[2])).append('/').append(f[3]);
                    }
                }
            }
            return kinds + " tcp:" + tcp;
        } catch (IOException e) {
            return e.toString();
        }
    }

    private static int port(String hexAddress) {
        return Integer.parseInt(hexAddress.substring(hexAddress.indexOf(':') + 1), 16);
    }

    /** Polls every 50 ms for up to 20 s: threads and sockets end asynchronously after close() returns. */
    static void awaitSettled(java.util.function.BooleanSupplier done, String what) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!done.getAsBoolean() && System.nanoTime() < end) {
            Thread.sleep(50);
        }
    }
}
