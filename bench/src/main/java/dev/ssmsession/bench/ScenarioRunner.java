package dev.ssmsession.bench;

import dev.ssmsession.client.PortForward;
import dev.ssmsession.client.SessionInfo;
import dev.ssmsession.client.SessionManager;
import dev.ssmsession.protocol.channel.DataChannelStats;
import dev.ssmsession.testkit.LocalSessionManager;
import dev.ssmsession.testkit.TestkitCredentials;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * Runs a {@link Scenario} through the real client: opens its port forwarding sessions
 * ({@code AWS-StartPortForwardingSession}, smux) against a testkit, uploads on every connection at
 * once, then downloads on every connection at once, and checks every byte's SHA-256.
 */
final class ScenarioRunner {
    /** Slowest rate a transfer may run at before the run is declared stuck (bounded waits only). */
    private static final double SLOWEST_BYTES_PER_SECOND = 100_000;
    private static final Duration SETUP_TIMEOUT = Duration.ofSeconds(30);

    /**
     * What one scenario measured; a direction not measured is null.
     *
     * @param resent         data messages the client retransmitted, all sessions (both directions' runs)
     * @param pacingRate     the client's pacing rate at the end, messages/s (the highest of its sessions)
     * @param pacingFellBack whether adaptive pacing fell back to the fixed rate in any session
     */
    record Result(Scenario scenario, Transfer upload, Transfer download, String agentVersion, long resent,
                  int pacingRate, boolean pacingFellBack) {
        double uploadMBps() {
            return upload == null ? Double.NaN : upload.megabytesPerSecond();
        }

        double downloadMBps() {
            return download == null ? Double.NaN : download.megabytesPerSecond();
        }

        boolean verified() {
            return (upload == null || upload.verified()) && (download == null || download.verified());
        }
    }

    private final LocalSessionManager capped;
    private final LocalSessionManager uncapped;
    private final RemoteEndpoint remote;
    private final LocalPeer peer;
    private final ExecutorService pool;
    private final AtomicLong ids = new AtomicLong();

    ScenarioRunner(LocalSessionManager capped, LocalSessionManager uncapped, RemoteEndpoint remote, LocalPeer peer,
                   ExecutorService pool) {
        this.capped = capped;
        this.uncapped = uncapped;
        this.remote = remote;
        this.peer = peer;
        this.pool = pool;
    }

    Result run(Scenario sc) throws Exception {
        LocalSessionManager local = sc.serviceCap() ? capped : uncapped;
        TestkitCredentials c = local.credentials();
        try (SessionManager manager = SessionManager.builder()
                .region(local.region())
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsSessionCredentials.create(c.accessKeyId(), c.secretAccessKey(), c.sessionToken())))
                .ssmEndpoint(local.ssmEndpoint())
                .kmsEndpoint(local.kmsEndpoint())
                .environment(Map.of())
                .dataChannelConfig(sc.client())
                .build()) {
            List<PortForward> forwards = new ArrayList<>();
            try {
                String agentVersion = null;
                for (int i = 0; i < sc.sessions(); i++) {
                    PortForward f = manager.forwardPort(local.defaultTarget(), null, remote.port(), PortForward.Options.defaults());
                    forwards.add(f);
                    SessionInfo info = f.session().awaitInfo(SETUP_TIMEOUT);
                    if (info.mode() != SessionInfo.Mode.PORT_MUX) {
                        throw new IllegalStateException("expected a smux port session, got " + info.mode());
                    }
                    agentVersion = info.agentVersion();
                }
                Transfer up = sc.upload() ? all(sc, forwards, true) : null;
                Transfer down = sc.download() ? all(sc, forwards, false) : null;
                long resent = 0;
                int rate = 0;
                boolean fellBack = false;
                for (PortForward f : forwards) {
                    DataChannelStats st = f.session().channelStats();
                    resent += st.messagesResent();
                    rate = Math.max(rate, st.pacingRate());
                    fellBack |= st.pacingFellBack();
                }
                return new Result(sc, up, down, agentVersion, resent, rate, fellBack);
            } finally {
                for (PortForward f : forwards) {
                    f.close();
                }
            }
        }
    }

    /** Every connection of the scenario transfers at once; the aggregate spans all of them. */
    private Transfer all(Scenario sc, List<PortForward> forwards, boolean upload) throws Exception {
        Duration timeout = Duration.ofSeconds(30).plusMillis(
                (long) (1000.0 * sc.bytesPerConnection() * sc.connections() / SLOWEST_BYTES_PER_SECOND));
        List<CompletableFuture<Transfer>> running = new ArrayList<>();
        for (PortForward f : forwards) {
            InetSocketAddress at = f.localAddress();
            for (int i = 0; i < sc.connectionsPerSession(); i++) {
                long id = ids.incrementAndGet();
                running.add(CompletableFuture.supplyAsync(() -> transfer(at, id, sc, upload, timeout), pool));
            }
        }
        List<Transfer> done = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            for (CompletableFuture<Transfer> r : running) {
                done.add(r.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
            }
        } catch (TimeoutException e) {
            throw new IllegalStateException(sc.key() + ": " + (upload ? "upload" : "download") + " did not finish within "
                    + timeout, e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(sc.key() + ": " + (upload ? "upload" : "download") + " failed: "
                    + e.getCause().getMessage(), e.getCause());
        }
        return Transfer.aggregate(done);
    }

    private Transfer transfer(InetSocketAddress at, long id, Scenario sc, boolean upload, Duration timeout) {
        try {
            return upload ? peer.upload(at, id, sc.bytesPerConnection(), sc.sender(), timeout)
                    : peer.download(at, id, sc.bytesPerConnection());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
