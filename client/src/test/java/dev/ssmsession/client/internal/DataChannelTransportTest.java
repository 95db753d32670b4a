package dev.ssmsession.client.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ssmsession.client.SessionException;
import dev.ssmsession.client.SessionToken;
import dev.ssmsession.protocol.payload.Payloads;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

import java.net.URI;
import java.util.Map;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** SPEC §7.2 against a loopback WebSocket server and a scripted SSM endpoint. */
class DataChannelTransportTest {
    private LoopbackWebSocketServer server;
    private FakeSsm ssm;
    private ScheduledExecutorService scheduler;
    private ExecutorService io;
    private final AtomicInteger credentialResolutions = new AtomicInteger();
    private final BlockingQueue<String> events = new LinkedBlockingQueue<>();
    private final CompletableFuture<SessionException> failed = new CompletableFuture<>();
    private final UUID clientId = UUID.randomUUID();

    @BeforeEach
    void start() throws Exception {
        server = new LoopbackWebSocketServer().startAndWait();
        ssm = new FakeSsm();
        scheduler = Executors.newScheduledThreadPool(1);
        io = Executors.newCachedThreadPool();
    }

    @AfterEach
    void stop() throws Exception {
        scheduler.shutdownNow();
        io.shutdownNow();
        ssm.close();
        server.stop(1000);
    }

    private TransportContext context(Duration deadline) {
        AwsCredentialsProvider creds = () -> AwsSessionCredentials.create("AKID", "SECRET",
                "TOKEN-" + credentialResolutions.incrementAndGet());
        return new TransportContext(
                new WebSocketConnection.Settings(CaBundle.sslContext(null), null, 5000, 1 << 20),
                u -> u, creds, "eu-west-1", true, new UpgradeSigner(Clock.systemUTC()), new SsmApi(ssm.client),
                clientId, "1.2.764.0", deadline, Duration.ofMinutes(5), scheduler, io, System::nanoTime);
    }

    private DataChannelTransport transport(Duration deadline) {
        SessionToken token = new SessionToken("s-1", "TOKEN-A",
                URI.create(server.url("/v1/data-channel/s-1?role=publish_subscribe")));
        return new DataChannelTransport(context(deadline), token, new DataChannelTransport.Events() {
            @Override
            public void onFrame(byte[] frame) {
                events.add("frame:" + frame.length);
            }

            @Override
            public void onUp(boolean reconnect) {
                events.add(reconnect ? "up:reconnect" : "up");
            }

            @Override
            public void onDown(String reason) {
                events.add("down");
            }

            @Override
            public void onFailed(SessionException e) {
                failed.complete(e);
            }
        });
    }

    private static JsonNode json(String text) throws Exception {
        return Payloads.mapper().readTree(text);
    }

    @Test
    void reconnectResumesAndReopensTheOriginalUrlWithTheNewToken() throws Exception {
        ssm.reply("ResumeSession", 200, "{\"SessionId\":\"s-1\",\"TokenValue\":\"TOKEN-B\","
                + "\"StreamUrl\":\"wss://elsewhere.example/v1/data-channel/s-1?role=publish_subscribe\"}");
        try (DataChannelTransport t = transport(Duration.ofSeconds(20))) {
            t.connect();
            assertThat(events.poll(5, TimeUnit.SECONDS)).isEqualTo("up");
            JsonNode first = json(server.texts.poll(5, TimeUnit.SECONDS));
            assertThat(first.get("TokenValue").asText()).isEqualTo("TOKEN-A");
            String firstAuth = server.lastHeaders.get("authorization");
            assertThat(server.lastHeaders).containsEntry("x-amz-security-token", "TOKEN-1");

            server.opened.take().closeConnection(1006, "cut");
            assertThat(events.poll(5, TimeUnit.SECONDS)).isEqualTo("down");
            assertThat(events.poll(10, TimeUnit.SECONDS)).isEqualTo("up:reconnect");
            JsonNode second = json(server.texts.poll(5, TimeUnit.SECONDS));
            assertThat(second.get("TokenValue").asText()).isEqualTo("TOKEN-B");
            assertThat(second.get("ClientId").asText()).isEqualTo(first.get("ClientId").asText()).isEqualTo(clientId.toString());
            assertThat(second.get("RequestId").asText()).isNotEqualTo(first.get("RequestId").asText());
            assertThat(server.paths).containsExactly("/v1/data-channel/s-1?role=publish_subscribe",
                    "/v1/data-channel/s-1?role=publish_subscribe");
            // Re-signed with freshly resolved credentials.
            assertThat(server.lastHeaders.get("x-amz-security-token")).isNotEqualTo("TOKEN-1");
            assertThat(server.lastHeaders.get("authorization")).isNotEqualTo(firstAuth);
            assertThat(ssm.calls).containsExactly("ResumeSession");
            assertThat(t.reconnects()).isEqualTo(1);
            assertThat(t.send(new byte[]{1, 2})).isTrue();
            t.flush();
            assertThat(server.binaries.poll(5, TimeUnit.SECONDS)).containsExactly(1, 2);
        }
    }

    @Test
    void resumeWithoutTokenEndsTheSessionAsTimedOut() throws Exception {
        ssm.reply("ResumeSession", 200, "{\"SessionId\":\"s-1\"}");
        try (DataChannelTransport t = transport(Duration.ofSeconds(20))) {
            t.connect();
            server.opened.take().closeConnection(1006, "cut");
            SessionException e = failed.get(10, TimeUnit.SECONDS);
            assertThat(e.reason()).isEqualTo(SessionException.Reason.SESSION_TIMED_OUT);
            assertThat(e).hasMessageContaining("s-1").hasMessageContaining("timed out");
        }
    }

    @Test
    void givesUpWhenEveryReconnectedChannelIsClosedAtOnce() throws Exception {
        // The upgrade succeeds and OpenDataChannel goes out, then the far end closes before anything
        // arrives (a refused token, a proxy that kills it): each such "success" must not restart
        // the deadline, or the session reconnects forever instead of ending.
        ssm.reply("ResumeSession", 200, "{\"SessionId\":\"s-1\",\"TokenValue\":\"TOKEN-B\",\"StreamUrl\":\"wss://x/y\"}");
        try (DataChannelTransport t = transport(Duration.ofSeconds(2))) {
            t.connect();
            server.refuseOpenDataChannel = true;
            server.opened.take().closeConnection(1006, "cut");
            SessionException e = failed.get(30, TimeUnit.SECONDS);
            assertThat(e.reason()).isEqualTo(SessionException.Reason.CONNECTION_LOST);
            assertThat(e).hasMessageContaining("s-1").hasMessageContaining("2 s");
            assertThat(ssm.calls.size()).as("it did resume, more than once").isGreaterThan(1);
        }
    }

    @Test
    void aDeadEndpointFailsTheFirstOpenWithinItsBudgetNotTheConnectTimeout() throws Exception {
        // A listener whose accept queue is full drops further SYNs: on loopback, that is an endpoint
        // that never answers (a black-holed VPC endpoint address, a firewall dropping packets).
        try (java.net.ServerSocket dead = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            java.util.List<java.net.Socket> fill = new java.util.ArrayList<>();
            try {
                boolean full = false;
                for (int i = 0; i < 16 && !full; i++) {
                    java.net.Socket s = new java.net.Socket();
                    try {
                        s.connect(dead.getLocalSocketAddress(), 300);
                        fill.add(s);
                    } catch (java.net.SocketTimeoutException e) {
                        s.close();
                        full = true;
                    }
                }
                assertThat(full).as("the accept queue filled up").isTrue();
                TransportContext c = context(Duration.ofSeconds(2));
                // A minute per attempt, as a real connect timeout might be: the 2 s budget must still hold.
                TransportContext slow = new TransportContext(c.connection().withConnectTimeoutMillis(60_000),
                        c.streamUrlRewrite(), c.credentials(), c.region(), c.signUpgrade(), c.signer(), c.ssm(),
                        c.clientId(), c.clientVersion(), c.reconnectDeadline(), c.pingInterval(), c.scheduler(), c.io(),
                        c.nanoTime());
                SessionToken token = new SessionToken("s-1", "TOKEN-A",
                        URI.create("ws://127.0.0.1:" + dead.getLocalPort() + "/v1/data-channel/s-1"));
                DataChannelTransport t = new DataChannelTransport(slow, token, new DataChannelTransport.Events() {
                    @Override
                    public void onFrame(byte[] frame) {
                    }

                    @Override
                    public void onUp(boolean reconnect) {
                    }

                    @Override
                    public void onDown(String reason) {
                    }

                    @Override
                    public void onFailed(SessionException e) {
                    }
                });
                CompletableFuture<Void> open = CompletableFuture.runAsync(t::connect, io);
                assertThatThrownBy(() -> open.get(20, TimeUnit.SECONDS))
                        .isInstanceOf(java.util.concurrent.ExecutionException.class)
                        .cause().isInstanceOf(SessionException.class)
                        .hasMessageContaining("s-1").hasMessageContaining("2 s").hasMessageContaining("127.0.0.1");
                t.close();
            } finally {
                for (java.net.Socket s : fill) {
                    s.close();
                }
            }
        }
    }

    @Test
    void givesUpAfterTheDeadlineWhenReconnectsKeepFailing() throws Exception {
        ssm.reply("ResumeSession", 200, "{\"SessionId\":\"s-1\",\"TokenValue\":\"TOKEN-B\",\"StreamUrl\":\"wss://x/y\"}");
        try (DataChannelTransport t = transport(Duration.ofSeconds(2))) {
            t.connect();
            server.rejectUpgrades = true;
            server.opened.take().closeConnection(1006, "cut");
            SessionException e = failed.get(15, TimeUnit.SECONDS);
            assertThat(e.reason()).isEqualTo(SessionException.Reason.CONNECTION_LOST);
            assertThat(e).hasMessageContaining("s-1").hasMessageContaining("2 s").hasMessageContaining("upgrade");
            assertThat(ssm.calls.size()).isGreaterThan(1);  // retried with backoff, each time resuming afresh
        }
    }

    @Test
    void anEndpointThatAcceptsButNeverAnswersFailsTheOpenWithinTheBoundItNames() throws Exception {
        try (SilentListener silent = new SilentListener(null)) {
            assertOpenFailsWithinTwoSeconds(null, "ws://127.0.0.1:" + silent.port() + "/v1/data-channel/s-1");
        }
    }

    @Test
    void aSlowProxyFollowedByASilentUpgradeStillEndsTheAttemptAtTheDeadline() throws Exception {
        // The proxy answers CONNECT after 1.5 s, then nothing answers the upgrade: the stages
        // share one budget, so the attempt ends at the 2 s the message names, not at 1.5 + 2 s.
        try (SilentListener proxy = new SilentListener(Duration.ofMillis(1500))) {
            assertOpenFailsWithinTwoSeconds(ProxyPolicy.resolve(URI.create("http://127.0.0.1:" + proxy.port()), null, Map.of()),
                    "ws://ssmmessages.example:80/v1/data-channel/s-1");
            assertThat(proxy.connectRequests).as("the attempt went through the proxy").isPositive();
        }
    }

    private void assertOpenFailsWithinTwoSeconds(ProxyPolicy proxy, String url) throws Exception {
        TransportContext c = context(Duration.ofSeconds(2));
        TransportContext slow = new TransportContext(
                new WebSocketConnection.Settings(CaBundle.sslContext(null), proxy, 60_000, 1 << 20),
                c.streamUrlRewrite(), c.credentials(), c.region(), c.signUpgrade(), c.signer(), c.ssm(),
                c.clientId(), c.clientVersion(), c.reconnectDeadline(), c.pingInterval(), c.scheduler(), c.io(),
                c.nanoTime());
        DataChannelTransport t = new DataChannelTransport(slow, new SessionToken("s-1", "TOKEN-A", URI.create(url)),
                new DataChannelTransport.Events() {
                    @Override
                    public void onFrame(byte[] frame) {
                    }

                    @Override
                    public void onUp(boolean reconnect) {
                    }

                    @Override
                    public void onDown(String reason) {
                    }

                    @Override
                    public void onFailed(SessionException e) {
                    }
                });
        long start = System.nanoTime();
        CompletableFuture<Void> open = CompletableFuture.runAsync(t::connect, io);
        assertThatThrownBy(() -> open.get(20, TimeUnit.SECONDS))
                .isInstanceOf(java.util.concurrent.ExecutionException.class)
                .cause().isInstanceOfSatisfying(SessionException.class, e -> {
                    assertThat(e.reason()).isEqualTo(SessionException.Reason.CONNECTION_LOST);
                    assertThat(e.getMessage()).contains("s-1", "within 2 s");
                });
        long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertThat(elapsedMillis).as("the time the message promises").isBetween(1_500L, 2_700L);
        t.close();
    }

    /**
     * A loopback listener that accepts and then says nothing; with a delay, it first answers an
     * HTTP CONNECT with 200 after that delay (a slow proxy whose tunnel leads nowhere).
     */
    private static final class SilentListener implements AutoCloseable {
        private final java.net.ServerSocket server;
        private final java.util.List<java.net.Socket> accepted = new java.util.concurrent.CopyOnWriteArrayList<>();
        private final CountDownLatch closing = new CountDownLatch(1);
        volatile int connectRequests;

        SilentListener(Duration connectDelay) throws java.io.IOException {
            server = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
            Thread t = new Thread(() -> {
                while (!server.isClosed()) {
                    try {
                        java.net.Socket s = server.accept();
                        accepted.add(s);
                        if (connectDelay != null) {
                            Thread h = new Thread(() -> answerConnect(s, connectDelay), "slow-proxy-conn");
                            h.setDaemon(true);
                            h.start();
                        }
                    } catch (java.io.IOException e) {
                        return;
                    }
                }
            }, "silent-listener");
            t.setDaemon(true);
            t.start();
        }

        private void answerConnect(java.net.Socket s, Duration delay) {
            try {
                java.io.InputStream in = s.getInputStream();
                int state = 0;
                while (state < 4) {
                    int b = in.read();
                    if (b < 0) {
                        return;
                    }
                    state = (b == '\r' && (state == 0 || state == 2)) || (b == '\n' && (state == 1 || state == 3))
                            ? state + 1 : (b == '\r' ? 1 : 0);
                }
                connectRequests++;
                // The proxy's latency: closing the listener cuts it short.
                if (closing.await(delay.toMillis(), TimeUnit.MILLISECONDS)) {
                    return;
                }
                s.getOutputStream().write("HTTP/1.1 200 Connection established\r\n\r\n"
                        .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
                s.getOutputStream().flush();
            } catch (java.io.IOException | InterruptedException e) {
                // the client gave up
            }
        }

        int port() {
            return server.getLocalPort();
        }

        @Override
        public void close() throws java.io.IOException {
            closing.countDown();
            server.close();
            for (java.net.Socket s : accepted) {
                s.close();
            }
        }
    }
}
