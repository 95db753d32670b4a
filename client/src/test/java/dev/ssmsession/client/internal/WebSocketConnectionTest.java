package dev.ssmsession.client.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ssmsession.protocol.payload.Payloads;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WebSocketConnectionTest {
    private LoopbackWebSocketServer server;
    private final BlockingQueue<byte[]> received = new LinkedBlockingQueue<>();
    private final CompletableFuture<String> closed = new CompletableFuture<>();
    private final WebSocketConnection.Listener listener = new WebSocketConnection.Listener() {
        @Override
        public void onFrame(byte[] frame) {
            received.add(frame);
        }

        @Override
        public void onClosed(String reason) {
            closed.complete(reason);
        }
    };

    @BeforeEach
    void start() throws Exception {
        server = new LoopbackWebSocketServer().startAndWait();
    }

    @AfterEach
    void stop() throws Exception {
        server.stop(1000);
    }

    private static WebSocketConnection.Settings settings(ProxyPolicy proxy) {
        return new WebSocketConnection.Settings(CaBundle.sslContext(null), proxy, 5000, 1 << 20);
    }

    @Test
    void upgradeCarriesTheHeadersThenPingAndOpenDataChannel() throws Exception {
        UUID requestId = UUID.fromString("11111111-2222-4333-8444-555555555555");
        UUID clientId = UUID.fromString("aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee");
        String open = WebSocketConnection.openDataChannel(requestId, "TOKEN-1", clientId, "1.2.764.0");
        assertThat(open).isEqualTo("{\"MessageSchemaVersion\":\"1.0\",\"RequestId\":\"11111111-2222-4333-8444-555555555555\","
                + "\"TokenValue\":\"TOKEN-1\",\"ClientId\":\"aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee\",\"ClientVersion\":\"1.2.764.0\"}");
        try (WebSocketConnection c = WebSocketConnection.open(settings(null), URI.create(server.url("/v1/data-channel/s-1?role=publish_subscribe")),
                Map.of("Authorization", "AWS4-HMAC-SHA256 test", "X-Amz-Date", "20261128T120000Z"), open, listener)) {
            assertThat(server.texts.poll(5, TimeUnit.SECONDS)).isEqualTo(open);
            assertThat(server.pings.poll(5, TimeUnit.SECONDS)).isEqualTo("keepalive");
            assertThat(server.lastHeaders).containsEntry("authorization", "AWS4-HMAC-SHA256 test")
                    .containsEntry("x-amz-date", "20261128T120000Z")
                    .containsEntry("host", "127.0.0.1:" + server.getPort());

            assertThat(c.send(new byte[]{1, 2, 3})).isTrue();
            assertThat(server.binaries.poll(5, TimeUnit.SECONDS)).containsExactly(1, 2, 3);
            server.opened.take().send(ByteBuffer.wrap(new byte[]{9, 8}));
            assertThat(received.poll(5, TimeUnit.SECONDS)).containsExactly(9, 8);
        }
    }

    @Test
    void theConnectionsThreadsAreDaemonSoTheyNeverKeepTheJvmAlive() throws Exception {
        try (WebSocketConnection c = WebSocketConnection.open(settings(null), URI.create(server.url("/x")), Map.of(), "{}", listener)) {
            assertThat(server.texts.poll(5, TimeUnit.SECONDS)).isEqualTo("{}");
            List<Thread> threads = Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> t.getName().startsWith("ssm-session-ws-"))
                    .filter(Thread::isAlive)
                    .toList();
            assertThat(threads).as("the reader thread").isNotEmpty();
            assertThat(threads).allSatisfy(t -> assertThat(t.isDaemon()).as(t.getName()).isTrue());
        }
    }

    /**
     * Java-WebSocket re-applies its own TCP_NODELAY (default off) to the socket it is handed when its reader
     * starts; with Nagle on, every small frame of a request/response waits for the peer's delayed ACK (~40 ms).
     */
    @Test
    void theSocketKeepsNagleOffAfterTheClientStarts() throws Exception {
        try (WebSocketConnection c = WebSocketConnection.open(settings(null), URI.create(server.url("/x")), Map.of(), "{}", listener)) {
            assertThat(server.texts.poll(5, TimeUnit.SECONDS)).as("the reader thread ran").isEqualTo("{}");
            assertThat(c.socket().getTcpNoDelay()).isTrue();
        }
    }

    @Test
    void noLostConnectionCheckerThreadPerConnection() throws Exception {
        long before = checkerThreads(); // the loopback server has its own
        try (WebSocketConnection c = WebSocketConnection.open(settings(null), URI.create(server.url("/x")), Map.of(), "{}", listener)) {
            assertThat(server.texts.poll(5, TimeUnit.SECONDS)).isEqualTo("{}");
            assertThat(checkerThreads()).isEqualTo(before);
        }
    }

    private static long checkerThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith("connectionLostChecker")).count();
    }

    @Test
    void serverCloseIsReportedOnce() throws Exception {
        try (WebSocketConnection c = WebSocketConnection.open(settings(null), URI.create(server.url("/x")), Map.of(), "{}", listener)) {
            server.opened.take().close(1001, "going away");
            assertThat(closed.get(5, TimeUnit.SECONDS)).containsPattern("closed by the service \\(code 100[16]");
            assertThat(c.send(new byte[]{1})).isFalse();
        }
    }

    @Test
    void rejectedUpgradeFailsWithAClearError() {
        server.rejectUpgrades = true;
        assertThatThrownBy(() -> WebSocketConnection.open(settings(null), URI.create(server.url("/x")), Map.of(), "{}", listener))
                .isInstanceOf(java.io.IOException.class).hasMessageContaining("WebSocket upgrade").hasMessageContaining("127.0.0.1");
    }

    @Test
    void connectionRefusedNamesTheEndpoint() throws Exception {
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        assertThatThrownBy(() -> WebSocketConnection.open(settings(null), URI.create("ws://127.0.0.1:" + port + "/x"), Map.of(), "{}", listener))
                .isInstanceOf(java.io.IOException.class).hasMessageContaining("cannot connect to 127.0.0.1:" + port);
    }

    @Test
    void tunnelsThroughAnHttpProxyWithBasicAuth() throws Exception {
        try (ConnectProxy proxy = new ConnectProxy()) {
            proxy.requiredAuthorization = "Basic " + Base64.getEncoder().encodeToString("bob:s3cret".getBytes(StandardCharsets.UTF_8));
            ProxyPolicy p = ProxyPolicy.resolve(URI.create("http://bob:s3cret@127.0.0.1:" + proxy.port()), null, Map.of());
            try (WebSocketConnection c = WebSocketConnection.open(settings(p), URI.create(server.url("/v1/data-channel/s-2")), Map.of(), "{\"a\":1}", listener)) {
                assertThat(server.texts.poll(5, TimeUnit.SECONDS)).isEqualTo("{\"a\":1}");
                assertThat(proxy.requests.poll(5, TimeUnit.SECONDS)).startsWith("CONNECT 127.0.0.1:" + server.getPort() + " HTTP/1.1\r\n");
                assertThat(c.send(new byte[]{7})).isTrue();
                assertThat(server.binaries.poll(5, TimeUnit.SECONDS)).containsExactly(7);
            }
        }
    }

    @Test
    void proxyRefusalIsReportedWithItsStatusLine() throws Exception {
        try (ConnectProxy proxy = new ConnectProxy()) {
            proxy.requiredAuthorization = "Basic nope";
            ProxyPolicy p = ProxyPolicy.resolve(URI.create("http://127.0.0.1:" + proxy.port()), null, Map.of());
            assertThatThrownBy(() -> WebSocketConnection.open(settings(p), URI.create(server.url("/x")), Map.of(), "{}", listener))
                    .isInstanceOf(ProxyFailureException.class)
                    .hasMessageStartingWith("proxy 127.0.0.1:" + proxy.port() + " (proxy(URI)) requires authentication")
                    .hasMessageContaining("407");
        }
    }

    @Test
    void noProxyHostsConnectDirectly() throws Exception {
        try (ConnectProxy proxy = new ConnectProxy()) {
            ProxyPolicy p = ProxyPolicy.resolve(URI.create("http://127.0.0.1:" + proxy.port()), "127.0.0.1", Map.of());
            try (WebSocketConnection c = WebSocketConnection.open(settings(p), URI.create(server.url("/x")), Map.of(), "{}", listener)) {
                assertThat(server.texts.poll(5, TimeUnit.SECONDS)).isEqualTo("{}");
                assertThat(proxy.requests).isEmpty();
            }
        }
    }
}
