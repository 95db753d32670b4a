package dev.ssmsession.client.it;

import dev.ssmsession.client.PortForward;
import dev.ssmsession.client.PortForwardListener;
import dev.ssmsession.client.Session;
import dev.ssmsession.client.SessionManager;
import dev.ssmsession.testkit.LocalSessionManager;
import dev.ssmsession.testkit.LocalSessionManagerExtension;
import dev.ssmsession.testkit.SessionView;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A forward striped over several sessions ({@code PortForward.Options.withSessions}), against a testkit that caps each
 * session at {@value #CAP} messages a second each way (a quarter of the real service's ~1000, so that the client's
 * CPU is never what limits the figures on a loaded 2-core machine).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class StripedForwardIntegrationTest {
    static final int CAP = 200;
    private static final int CONNECTIONS = 8;

    @RegisterExtension
    static final LocalSessionManagerExtension LOCAL =
            new LocalSessionManagerExtension(LocalSessionManager.builder().rateLimit(CAP));

    private SessionManager manager;
    private PatternSource source;
    private final ExecutorService clients = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "striped-test-client");
        t.setDaemon(true);
        return t;
    });

    @BeforeEach
    void setUp() throws IOException {
        manager = Testkit.managerFor(LOCAL.get()).build();
        source = new PatternSource();
    }

    @AfterEach
    void tearDown() throws IOException {
        clients.shutdownNow();
        manager.close();
        source.close();
    }

    private PortForward forward(int sessions, Duration idle, PortForwardListener listener) {
        return manager.forwardPort(LOCAL.get().defaultTarget(), null, source.port(), PortForward.Options.defaults()
                .withSessions(sessions).withIdleTimeout(idle).withListener(listener));
    }

    /** The result of downloading over {@value #CONNECTIONS} overlapping connections. */
    private record Run(long nanos, int sessionsUsed) {
    }

    /**
     * Opens the forward's sessions with {@value #CONNECTIONS} overlapping small connections, then starts
     * {@value #CONNECTIONS} downloads of {@code perConnection} bytes at once and times them from the first connect
     * until all are done, intact (session start-up is not in the time).
     */
    private Run downloadAll(PortForward forward, long perConnection) throws Exception {
        List<Socket> warm = openHeld(forward, CONNECTIONS);
        for (Socket s : warm) {
            s.close();
        }
        int used = forward.stats().sessions();
        AtomicLong progress = new AtomicLong();
        List<CompletableFuture<Long>> downloads = new ArrayList<>();
        InetSocketAddress at = forward.localAddress();
        long start = System.nanoTime();
        for (int i = 0; i < CONNECTIONS; i++) {
            downloads.add(CompletableFuture.supplyAsync(() -> {
                try (Socket s = new Socket(at.getAddress(), at.getPort())) {
                    return PatternSource.download(s, perConnection, () -> { }, progress);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }, clients));
        }
        CompletableFuture.allOf(downloads.toArray(CompletableFuture[]::new)).get(90, TimeUnit.SECONDS);
        long nanos = System.nanoTime() - start;
        for (CompletableFuture<Long> d : downloads) {
            assertThat(d.join()).isEqualTo(perConnection);
        }
        return new Run(nanos, used);
    }

    @Test
    void eightConnectionsOverFourSessionsUseFourAndDownloadMoreThanThreeTimesAsFast() throws Exception {
        long perConnection = 96 * 1024;
        Run one;
        try (PortForward f = forward(1, Duration.ZERO, new PortForwardListener() { })) {
            one = downloadAll(f, perConnection);
        }
        Run four;
        try (PortForward f = forward(4, Duration.ZERO, new PortForwardListener() { })) {
            four = downloadAll(f, perConnection);
            assertThat(f.sessions()).hasSize(4);
            assertThat(f.stats().connectionsTotal()).isEqualTo(2 * CONNECTIONS);
            assertThat(f.stats().bytesReceived()).isEqualTo(CONNECTIONS * (perConnection + 100));
        }
        assertThat(one.sessionsUsed()).isEqualTo(1);
        assertThat(four.sessionsUsed()).isEqualTo(4);
        double ratio = (double) one.nanos() / four.nanos();
        assertThat(ratio).as("download rate of 4 sessions over 1 (same bytes, same run)").isGreaterThanOrEqualTo(3.2);
    }

    @Test
    void aSessionCutMidTransferResumesAndTheOthersCarryOn() throws Exception {
        LocalSessionManager local = LOCAL.get();
        long perConnection = 64 * 1024;
        try (PortForward f = forward(4, Duration.ZERO, new PortForwardListener() { })) {
            CountDownLatch allFlowing = new CountDownLatch(CONNECTIONS);
            AtomicLong progress = new AtomicLong();
            List<CompletableFuture<Long>> downloads = new ArrayList<>();
            InetSocketAddress at = f.localAddress();
            for (int i = 0; i < CONNECTIONS; i++) {
                downloads.add(CompletableFuture.supplyAsync(() -> {
                    try (Socket s = new Socket(at.getAddress(), at.getPort())) {
                        return PatternSource.download(s, perConnection, allFlowing::countDown, progress);
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }, clients));
            }
            assertThat(allFlowing.await(60, TimeUnit.SECONDS)).isTrue();
            List<Session> sessions = f.sessions();
            assertThat(sessions).hasSize(4);
            Session cut = sessions.get(1);
            local.cutConnection(cut.sessionId());
            CompletableFuture.allOf(downloads.toArray(CompletableFuture[]::new)).get(90, TimeUnit.SECONDS);
            for (CompletableFuture<Long> d : downloads) {
                assertThat(d.join()).as("every download complete and intact").isEqualTo(perConnection);
            }
            assertThat(cut.reconnects()).as("the cut session was resumed, not replaced").isEqualTo(1);
            assertThat(f.sessions()).extracting(Session::sessionId).contains(cut.sessionId());
            for (Session s : sessions) {
                if (s != cut) {
                    assertThat(s.reconnects()).as("the others were not disturbed").isZero();
                }
            }
        }
    }

    @Test
    void idleExtraSessionsCloseAfterTheTimeoutAndReopenOnDemand() throws Exception {
        LocalSessionManager local = LOCAL.get();
        Set<SocketAddress> closed = ConcurrentHashMap.newKeySet();
        PortForwardListener listener = new PortForwardListener() {
            @Override
            public void onConnectionClosed(SocketAddress client, long sent, long received, Duration duration) {
                closed.add(client);
            }
        };
        try (PortForward f = forward(3, Duration.ofMillis(300), listener)) {
            String first = f.sessionId();
            List<Socket> held = openHeld(f, 3);
            assertThat(f.sessions()).hasSize(3);
            List<String> extras = f.sessions().stream().map(Session::sessionId).filter(id -> !id.equals(first))
                    .collect(Collectors.toList());
            for (Socket s : held) {
                s.close();
            }
            eventually(() -> closed.size() == 3, "the three connections are closed");
            eventually(() -> f.stats().sessions() == 1, "the idle extras are closed");
            assertThat(f.sessionId()).isEqualTo(first);
            eventually(() -> extras.stream().allMatch(id -> "TERMINATED".equals(status(local, id))),
                    "TerminateSession reached the service for each extra");
            assertThat(status(local, first)).as("the first session stays").isNotEqualTo("TERMINATED");

            List<Socket> again = openHeld(f, 2);
            assertThat(f.stats().sessions()).isEqualTo(2);
            assertThat(f.stats().sessionsOpened()).as("one extra reopened").isEqualTo(4);
            for (Socket s : again) {
                s.close();
            }
        }
    }

    @Test
    void aBusyLocalPortFailsBeforeAnySessionStarts() throws Exception {
        LocalSessionManager local = LOCAL.get();
        int before = local.sessions().size();
        try (java.net.ServerSocket busy = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> manager.forwardPort(local.defaultTarget(), null,
                            source.port(), PortForward.Options.defaults().withLocalPort(busy.getLocalPort())))
                    .isInstanceOf(dev.ssmsession.client.SessionException.class)
                    .hasMessageContaining("cannot listen on 127.0.0.1:" + busy.getLocalPort());
        }
        assertThat(local.sessions()).as("no StartSession for a forward that cannot listen").hasSize(before);
    }

    /** Opens {@code n} connections, one after the other, that each complete a small download and stay open. */
    private static List<Socket> openHeld(PortForward f, int n) throws IOException {
        List<Socket> held = new ArrayList<>();
        AtomicLong progress = new AtomicLong();
        for (int i = 0; i < n; i++) {
            Socket s = new Socket(f.localAddress().getAddress(), f.localAddress().getPort());
            PatternSource.download(s, 100, () -> { }, progress);
            held.add(s);
        }
        return held;
    }

    private static String status(LocalSessionManager local, String sessionId) {
        return local.sessions().stream().filter(v -> v.sessionId().equals(sessionId)).map(SessionView::status)
                .findFirst().orElse("unknown");
    }

    /** Polls a condition that another thread makes true (a timer of the code under test), up to 20 s. */
    private static void eventually(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(10);
        }
    }
}
