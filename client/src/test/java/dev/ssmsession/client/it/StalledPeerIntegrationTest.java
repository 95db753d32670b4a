package dev.ssmsession.client.it;

import dev.ssmsession.client.PortForward;
import dev.ssmsession.client.SessionException;
import dev.ssmsession.client.SessionManager;
import dev.ssmsession.protocol.channel.DataChannelConfig;
import dev.ssmsession.testkit.LocalSessionManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The agent stops acknowledging (a relay between client and service holds every frame, or stops reading):
 * the producer blocks in {@code write}, what the client buffers stays bounded by its window, and the data all
 * arrives once the peer wakes up; past the give-up deadline the session fails with a clear message and the
 * local connections and listener close.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class StalledPeerIntegrationTest {
    private static final int MIB = 1024 * 1024;
    /** The client's window (10 000 × 1 KiB), its pending bytes, smux and the loopback socket buffers, with room. */
    private static final long BUFFER_BOUND = 32L * MIB;

    private LocalSessionManager local;
    private StallRelay relay;
    private Sink sink;

    @BeforeEach
    void setUp() throws IOException {
        local = LocalSessionManager.builder().noRateLimit().build().start();
        relay = new StallRelay(local.streamUrlBase().getPort());
        sink = new Sink();
    }

    @AfterEach
    void tearDown() throws IOException {
        sink.close();
        relay.close();
        local.close();
    }

    private SessionManager manager(DataChannelConfig.Builder channel) {
        return Testkit.managerFor(local).ssmMessagesEndpoint(URI.create("ws://127.0.0.1:" + relay.port()))
                .dataChannelConfig(channel.messagesPerSecond(0).build()).build();
    }

    @Test
    void producerBlocksWithBoundedBuffersWhileThePeerIsSilentThenEverythingArrives() throws Exception {
        long total = 64L * MIB;
        try (SessionManager manager = manager(DataChannelConfig.builder());
             PortForward fwd = manager.forwardPort(local.defaultTarget(), null, sink.port(), PortForward.Options.defaults());
             Socket s = connect(fwd)) {
            Producer producer = new Producer(s.getOutputStream(), total, 7);
            await(() -> sink.received.get() >= 4L * MIB, "4 MiB to reach the sink before the stall");
            long heapBefore = usedHeapAfterGc();

            relay.hold();
            long stalledAt = producer.awaitStall();
            long sinkAtStall = sink.received.get();
            long buffered = stalledAt - sinkAtStall;
            long heapGrowth = usedHeapAfterGc() - relay.heldBytes() - heapBefore;

            assertThat(producer.done.isDone()).as("the producer is blocked in write").isFalse();
            assertThat(stalledAt).as("bytes the producer got rid of").isLessThan(total / 2);
            assertThat(buffered).as("bytes accepted locally and not delivered").isLessThan(BUFFER_BOUND);
            assertThat(heapGrowth).as("heap growth while stalled (relay's own buffer excluded)").isLessThan(BUFFER_BOUND);
            assertThat(fwd.session().ended()).isNotDone();

            relay.release();
            producer.done.get(60, TimeUnit.SECONDS);
            await(() -> sink.received.get() == total, "all bytes at the sink after the peer woke up");
            assertThat(sink.sha256()).isEqualTo(producer.sha256());
            assertThat(fwd.session().ended()).isNotDone();
        }
    }

    @Test
    void pastTheGiveUpDeadlineTheSessionFailsClearlyAndLocalConnectionsClose() throws Exception {
        giveUp(relay::hold);
    }

    @Test
    void aPeerThatStopsReadingAltogetherAlsoHitsTheGiveUpDeadline() throws Exception {
        giveUp(relay::freeze);
    }

    /** Closing does not wait on a socket the peer stopped reading (it blocked until the give-up deadline). */
    @Test
    void closingWhileThePeerStopsReadingReturnsPromptly() throws Exception {
        try (SessionManager manager = manager(DataChannelConfig.builder())) {
            PortForward fwd = manager.forwardPort(local.defaultTarget(), null, sink.port(), PortForward.Options.defaults());
            try (Socket s = connect(fwd)) {
                Producer producer = new Producer(s.getOutputStream(), 256L * MIB, 13);
                await(() -> sink.received.get() >= MIB, "1 MiB to reach the sink before the stall");
                relay.freeze();
                producer.awaitStall();
                java.util.concurrent.CompletableFuture<Void> closed = java.util.concurrent.CompletableFuture.runAsync(fwd::close);
                closed.get(20, TimeUnit.SECONDS);  // the give-up deadline is the default 300 s
                assertThatThrownBy(() -> producer.done.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(IOException.class);
            }
        }
    }

    private void giveUp(Runnable stall) throws Exception {
        try (SessionManager manager = manager(DataChannelConfig.builder().giveUpAfter(Duration.ofSeconds(2)));
             PortForward fwd = manager.forwardPort(local.defaultTarget(), null, sink.port(), PortForward.Options.defaults());
             Socket s = connect(fwd)) {
            Producer producer = new Producer(s.getOutputStream(), 256L * MIB, 11);
            await(() -> sink.received.get() >= MIB, "1 MiB to reach the sink before the stall");
            stall.run();

            assertThatThrownBy(() -> fwd.session().awaitEnd(Duration.ofSeconds(30)))
                    .isInstanceOf(SessionException.class)
                    .satisfies(e -> assertThat(((SessionException) e).reason()).isEqualTo(SessionException.Reason.CONNECTION_LOST))
                    .hasMessageContaining(fwd.sessionId())
                    .hasMessageContaining("un-acked")
                    .hasMessageContaining("PT2S");
            // The producer's blocked write ends with an error; the local socket is closed, not left hanging.
            assertThatThrownBy(() -> producer.done.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(IOException.class);
            assertThat(s.getInputStream().read()).isEqualTo(-1);
            await(() -> fwd.openConnections() == 0, "the forward to drop its connections");
            // the listener closes on the thread that ends the session, which may run after this one wakes up
            InetSocketAddress at = fwd.localAddress();
            await(() -> refused(at), "the forward to stop listening");
        }
    }

    private static boolean refused(InetSocketAddress at) {
        try (Socket ignored = new Socket(at.getAddress(), at.getPort())) {
            return false;
        } catch (ConnectException e) {
            return true;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static Socket connect(PortForward fwd) throws IOException {
        fwd.session().awaitInfo(Duration.ofSeconds(20));
        return new Socket(fwd.localAddress().getAddress(), fwd.localAddress().getPort());
    }

    private static long usedHeapAfterGc() {
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return rt.totalMemory() - rt.freeMemory();
    }

    /** Polls a condition every 20 ms, up to 60 s. */
    static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }

    /** Writes {@code total} seeded random bytes in 64 KiB writes on its own thread, counting what write() took. */
    static final class Producer {
        final AtomicLong written = new AtomicLong();
        final CompletableFuture<Void> done = new CompletableFuture<>();
        private final MessageDigest sha = sha();

        Producer(OutputStream out, long total, long seed) {
            Thread t = new Thread(() -> {
                Random random = new Random(seed);
                byte[] chunk = new byte[64 * 1024];
                try {
                    while (written.get() < total) {
                        random.nextBytes(chunk);
                        int n = (int) Math.min(chunk.length, total - written.get());
                        sha.update(chunk, 0, n);
                        out.write(chunk, 0, n);
                        written.addAndGet(n);
                    }
                    out.flush();
                    done.complete(null);
                } catch (IOException e) {
                    done.completeExceptionally(e);
                }
            }, "stalled-peer-producer");
            t.setDaemon(true);
            t.start();
        }

        /** Waits until no write completed for a full second (bounded); returns the bytes written by then. */
        long awaitStall() throws InterruptedException {
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            long last = -1;
            long since = System.nanoTime();
            while (System.nanoTime() < end) {
                long now = written.get();
                if (now != last) {
                    last = now;
                    since = System.nanoTime();
                } else if (System.nanoTime() - since > TimeUnit.SECONDS.toNanos(1)) {
                    return now;
                }
                if (done.isDone()) {
                    throw new AssertionError("the producer finished instead of blocking: " + written.get() + " bytes");
                }
                Thread.sleep(50);
            }
            throw new AssertionError("the producer never blocked: " + written.get() + " bytes written");
        }

        String sha256() throws Exception {
            done.get(1, TimeUnit.SECONDS);
            return HexFormat.of().formatHex(sha.digest());
        }
    }

    /** A loopback server that reads every connection to the end, counting bytes and hashing them. */
    static final class Sink implements AutoCloseable {
        final AtomicLong received = new AtomicLong();
        private final ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        private final MessageDigest sha = sha();
        private final CountDownLatch accepted = new CountDownLatch(1);

        Sink() throws IOException {
            Thread t = new Thread(() -> {
                try (Socket s = server.accept(); InputStream in = s.getInputStream()) {
                    accepted.countDown();
                    byte[] buf = new byte[64 * 1024];
                    int n;
                    while ((n = in.read(buf)) > 0) {
                        synchronized (sha) {
                            sha.update(buf, 0, n);
                        }
                        received.addAndGet(n);
                    }
                } catch (IOException e) {
                    // closed
                }
            }, "stalled-peer-sink");
            t.setDaemon(true);
            t.start();
        }

        int port() {
            return server.getLocalPort();
        }

        String sha256() {
            synchronized (sha) {
                return HexFormat.of().formatHex(sha.digest());
            }
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }

    private static MessageDigest sha() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
