package dev.ssmsession.client.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ssmsession.client.SessionException;
import dev.ssmsession.client.SessionToken;
import dev.ssmsession.protocol.payload.Payloads;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;

import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The transport's real connector against a loopback WebSocket server, a scripted SSM endpoint and listeners that
 * never answer. The transport's clock and scheduler are virtual (a reconnect's first attempt needs no waiting); only
 * the sockets are real, and their timeouts are a fraction of a second. The schedule itself:
 * {@link DataChannelTransportTest}.
 */
class DataChannelTransportLoopbackTest {
    /** An attempt's budget here; the proxy below answers after most of it. */
    private static final int ATTEMPT_MILLIS = 800;
    private static final int PROXY_DELAY_MILLIS = 700;

    private LoopbackWebSocketServer server;
    private FakeSsm ssm;
    private final ManualScheduler scheduler = new ManualScheduler();
    private ExecutorService io;
    private final AtomicInteger credentialResolutions = new AtomicInteger();
    private final BlockingQueue<String> events = new LinkedBlockingQueue<>();
    private final UUID clientId = UUID.randomUUID();

    @BeforeEach
    void start() throws Exception {
        server = new LoopbackWebSocketServer().startAndWait();
        ssm = new FakeSsm();
        io = Executors.newCachedThreadPool();
    }

    @AfterEach
    void stop() throws Exception {
        io.shutdownNow();
        ssm.close();
        server.stop(1000);
    }

    private TransportContext context(WebSocketConnection.Settings settings) {
        AwsCredentialsProvider creds = () -> AwsSessionCredentials.create("AKID", "SECRET",
                "TOKEN-" + credentialResolutions.incrementAndGet());
        return new TransportContext(settings, u -> u, creds, "eu-west-1", true, new UpgradeSigner(Clock.systemUTC()),
                new SsmApi(ssm.client), clientId, "1.2.764.0", Duration.ofSeconds(20), Duration.ofMinutes(5), scheduler,
                io, scheduler::nanoTime);
    }

    private static JsonNode json(String text) throws Exception {
        return Payloads.mapper().readTree(text);
    }

    @Test
    void reconnectResumesAndReopensTheOriginalUrlWithTheNewToken() throws Exception {
        ssm.reply("ResumeSession", 200, "{\"SessionId\":\"s-1\",\"TokenValue\":\"TOKEN-B\","
                + "\"StreamUrl\":\"wss://elsewhere.example/v1/data-channel/s-1?role=publish_subscribe\"}");
        SessionToken token = new SessionToken("s-1", "TOKEN-A",
                URI.create(server.url("/v1/data-channel/s-1?role=publish_subscribe")));
        TransportContext ctx = context(new WebSocketConnection.Settings(CaBundle.sslContext(null), null, 5000, 1 << 20));
        try (DataChannelTransport t = new DataChannelTransport(ctx, token, new DataChannelTransport.Events() {
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
                events.add("failed: " + e.getMessage());
            }
        })) {
            t.connect();
            assertThat(events.poll(5, TimeUnit.SECONDS)).isEqualTo("up");
            JsonNode first = json(server.texts.poll(5, TimeUnit.SECONDS));
            assertThat(first.get("TokenValue").asText()).isEqualTo("TOKEN-A");
            String firstAuth = server.lastHeaders.get("authorization");
            assertThat(server.lastHeaders).containsEntry("x-amz-security-token", "TOKEN-1");

            // The loss is seen on the WebSocket's reader thread; the first attempt goes to the I/O pool at once.
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
            assertThat(scheduler.delays).as("no wait before the first attempt").isEmpty();
            assertThat(t.send(new byte[]{1, 2})).isTrue();
            t.flush();
            assertThat(server.binaries.poll(5, TimeUnit.SECONDS)).containsExactly(1, 2);
        }
    }

    @Test
    void aDeadEndpointEndsTheAttemptAtItsBudgetNotTheConnectTimeout() throws Exception {
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
                // A minute per attempt, as a real connect timeout might be: the budget the transport gives must hold.
                assertAttemptEndsWithinItsBudget(null, "ws://127.0.0.1:" + dead.getLocalPort() + "/v1/data-channel/s-1",
                        "127.0.0.1");
            } finally {
                for (java.net.Socket s : fill) {
                    s.close();
                }
            }
        }
    }

    @Test
    void anEndpointThatAcceptsButNeverAnswersEndsTheAttemptAtItsBudget() throws Exception {
        try (SilentListener silent = new SilentListener(null)) {
            assertAttemptEndsWithinItsBudget(null, "ws://127.0.0.1:" + silent.port() + "/v1/data-channel/s-1", "upgrade");
        }
    }

    @Test
    void aSlowProxyFollowedByASilentUpgradeStillEndsTheAttemptAtItsBudget() throws Exception {
        // The proxy answers CONNECT after most of the budget, then nothing answers the upgrade: the stages share
        // one budget, so the attempt ends at the budget, not at the proxy's delay plus the budget again.
        try (SilentListener proxy = new SilentListener(Duration.ofMillis(PROXY_DELAY_MILLIS))) {
            assertAttemptEndsWithinItsBudget(ProxyPolicy.resolve(URI.create("http://127.0.0.1:" + proxy.port()), null, Map.of()),
                    "ws://ssmmessages.example:80/v1/data-channel/s-1", "upgrade");
            assertThat(proxy.connectRequests).as("the attempt went through the proxy").isPositive();
        }
    }

    /**
     * The connector given {@link #ATTEMPT_MILLIS} for an attempt, with a minute of connect timeout configured: it
     * fails in about that time, well before the budget twice over (stages that each restarted it).
     */
    private void assertAttemptEndsWithinItsBudget(ProxyPolicy proxy, String url, String named) {
        DataChannelConnector connector = DataChannelConnector.over(context(
                new WebSocketConnection.Settings(CaBundle.sslContext(null), proxy, 60_000, 1 << 20)));
        long start = System.nanoTime();
        assertThatThrownBy(() -> connector.open(URI.create(url), "TOKEN-A", ATTEMPT_MILLIS, new WebSocketConnection.Listener() {
            @Override
            public void onFrame(byte[] frame) {
            }

            @Override
            public void onClosed(String reason) {
            }
        })).isInstanceOf(IOException.class).hasMessageContaining(named);
        long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertThat(elapsedMillis).as("the attempt's budget, once").isBetween(ATTEMPT_MILLIS - 100L,
                ATTEMPT_MILLIS + PROXY_DELAY_MILLIS - 100L);
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

        SilentListener(Duration connectDelay) throws IOException {
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
                    } catch (IOException e) {
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
            } catch (IOException | InterruptedException e) {
                // the client gave up
            }
        }

        int port() {
            return server.getLocalPort();
        }

        @Override
        public void close() throws IOException {
            closing.countDown();
            server.close();
            for (java.net.Socket s : accepted) {
                s.close();
            }
        }
    }
}
