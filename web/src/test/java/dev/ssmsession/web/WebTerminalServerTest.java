package dev.ssmsession.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ssmsession.client.ManagedInstance;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The server over real loopback sockets, with a hand-written client and scripted shells. */
class WebTerminalServerTest {
    private static final String KEY = "dGhlIHNhbXBsZSBub25jZQ==";
    private final Map<String, ScriptedShell> shells = new ConcurrentHashMap<>();
    private final CompletableFuture<ScriptedShell> opened = new CompletableFuture<>();
    private WebTerminalServer server;
    private String host;
    private String base;

    @BeforeEach
    void start() {
        server = WebTerminalServer.builder()
                .shellIos((target, cols, rows) -> {
                    if (target.equals("i-0ffffffffffffffff")) {
                        throw new IllegalStateException("Target i-0ffffffffffffffff is not connected.");
                    }
                    ScriptedShell s = new ScriptedShell("s-" + shells.size());
                    s.resize(cols, rows);
                    shells.put(target, s);
                    opened.complete(s);
                    return s;
                })
                .instances(() -> List.of(new ManagedInstance("i-0123456789abcdef0", Optional.of("web-1"),
                        Optional.of("Amazon Linux"), Optional.of("Online"))))
                .start();
        URI url = server.url();
        host = url.getHost() + ":" + url.getPort();
        base = url.getPath();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private Map<String, String> headers(String... kv) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Host", host);
        for (int i = 0; i < kv.length; i += 2) {
            h.put(kv[i], kv[i + 1]);
        }
        return h;
    }

    private Map<String, String> upgrade(String origin) {
        Map<String, String> h = headers("Upgrade", "websocket", "Connection", "Upgrade", "Sec-WebSocket-Key", KEY,
                "Sec-WebSocket-Version", "13");
        if (origin != null) {
            h.put("Origin", origin);
        }
        return h;
    }

    @Test
    void urlIsLoopbackWithALongRandomToken() {
        URI url = server.url();
        assertThat(url.getScheme()).isEqualTo("http");
        assertThat(url.getHost()).isEqualTo("127.0.0.1");
        assertThat(base).matches("/[A-Za-z0-9_-]{43}/");
        assertThat(server.toString()).doesNotContain(base.substring(1, 40));
    }

    @Test
    void thePageNeedsTheToken() throws IOException {
        try (RawClient c = new RawClient(server.localAddress())) {
            String head = c.get(base, headers());
            assertThat(head).startsWith("HTTP/1.1 200 OK").contains("Content-Type: text/html")
                    .contains("Content-Security-Policy: default-src 'none'").contains("X-Frame-Options: DENY")
                    .doesNotContainIgnoringCase("Access-Control-Allow");
            assertThat(c.body()).contains("<script src=\"xterm/xterm.js\"></script>");
        }
        String token = base.substring(1, base.length() - 1);
        for (String path : List.of("/", "/index.html", "/xterm/xterm.js", "/" + token.substring(1) + "/",
                "/" + token + "x/", "/x" + base)) {
            try (RawClient c = new RawClient(server.localAddress())) {
                assertThat(c.get(path, headers())).as(path).startsWith("HTTP/1.1 403 Forbidden");
                assertThat(c.body()).as(path).isEqualTo("403 Forbidden: open the URL that ssm-session printed, with its token.\n");
            }
        }
        try (RawClient c = new RawClient(server.localAddress())) {
            assertThat(c.get(base + "../../etc/passwd", headers())).startsWith("HTTP/1.1 404");
        }
        try (RawClient c = new RawClient(server.localAddress())) {
            assertThat(c.get(base + "xterm/xterm.js", headers())).startsWith("HTTP/1.1 200 OK")
                    .contains("Content-Type: text/javascript");
        }
        try (RawClient c = new RawClient(server.localAddress())) {
            assertThat(c.get(base.substring(0, base.length() - 1) + "?target=i-1", headers()))
                    .startsWith("HTTP/1.1 301").contains("Location: " + base + "?target=i-1");
        }
        try (RawClient c = new RawClient(server.localAddress())) {
            assertThat(c.get(base + "nothing-here", headers())).startsWith("HTTP/1.1 404");
        }
    }

    @Test
    void anotherHostNameIsRefused() throws IOException {
        try (RawClient c = new RawClient(server.localAddress())) {
            Map<String, String> h = headers();
            h.put("Host", "rebound.attacker.example:" + server.localAddress().getPort());
            assertThat(c.get(base, h)).startsWith("HTTP/1.1 403 Forbidden");
        }
        try (RawClient c = new RawClient(server.localAddress())) {
            assertThat(c.get(base, Map.of())).startsWith("HTTP/1.1 403 Forbidden");
        }
    }

    @Test
    void garbageIsABadRequestNotACrash() throws IOException {
        try (RawClient c = new RawClient(server.localAddress())) {
            c.input(); // connected
            assertThat(c.get("/x HTTP/1.1\r\nbroken", Map.of())).startsWith("HTTP/1.1 400 Bad Request");
        }
        try (RawClient c = new RawClient(server.localAddress())) {
            assertThat(c.get(base, headers())).startsWith("HTTP/1.1 200");
        }
    }

    @Test
    void theApiListsInstancesAndConfig() throws IOException {
        try (RawClient c = new RawClient(server.localAddress())) {
            assertThat(c.get(base + "api/instances", headers())).startsWith("HTTP/1.1 200");
            assertThat(c.body()).isEqualTo("{\"instances\":[{\"id\":\"i-0123456789abcdef0\",\"name\":\"web-1\","
                    + "\"platform\":\"Amazon Linux\",\"pingStatus\":\"Online\"}]}");
        }
        try (RawClient c = new RawClient(server.localAddress())) {
            c.get(base + "api/config", headers());
            assertThat(c.body()).isEqualTo("{\"target\":null,\"instances\":true}");
        }
    }

    @Test
    void aWebSocketFromAnotherOriginIsRefused() throws IOException {
        for (String origin : new String[] {"http://evil.example", "null", "https://" + host, null}) {
            try (RawClient c = new RawClient(server.localAddress())) {
                assertThat(c.get(base + "ws?target=i-0123456789abcdef0", upgrade(origin))).as("origin %s", origin)
                        .startsWith("HTTP/1.1 403 Forbidden");
            }
        }
        try (RawClient c = new RawClient(server.localAddress())) {
            assertThat(c.get("/wrong-token/ws?target=i-0123456789abcdef0", upgrade("http://" + host)))
                    .startsWith("HTTP/1.1 403 Forbidden");
        }
        assertThat(shells).isEmpty();
    }

    @Test
    void aWebSocketFromThePageRelaysBothWaysAndClosingItEndsTheSession() throws Exception {
        try (RawClient c = new RawClient(server.localAddress())) {
            String head = c.get(base + "ws?target=i-0123456789abcdef0&cols=120&rows=40", upgrade("http://" + host));
            assertThat(head).startsWith("HTTP/1.1 101 Switching Protocols")
                    .contains("Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
            assertThat(c.readFrame().text()).contains("\"type\":\"status\"");
            assertThat(c.readFrame().text()).isEqualTo("{\"type\":\"ready\",\"sessionId\":\"s-0\"}");
            ScriptedShell shell = opened.get(10, TimeUnit.SECONDS);
            assertThat(shell.resizes.get(0)).containsExactly(120, 40);

            c.frame(0x2, "ls\r".getBytes(StandardCharsets.UTF_8));
            c.frame(0x1, "{\"type\":\"resize\",\"cols\":100,\"rows\":30}".getBytes(StandardCharsets.UTF_8));
            shell.output(new byte[] {'o', 'k', (byte) 0xcf});
            RawClient.Frame out = c.readFrame();
            assertThat(out.opcode()).isEqualTo(0x2);
            assertThat(out.payload()).containsExactly('o', 'k', 0xcf);
            c.frame(0x9, "p".getBytes(StandardCharsets.UTF_8));
            RawClient.Frame pong = c.readFrame();
            assertThat(pong.opcode()).isEqualTo(0xa);
            assertThat(pong.text()).isEqualTo("p");      // frames are handled in order: input and resize came first
            assertThat(shell.typed()).containsExactly('l', 's', '\r');
            assertThat(shell.resizes.get(1)).containsExactly(100, 30);
            assertThat(server.openSessions()).isEqualTo(1);

            c.frame(0x8, new byte[] {0x03, (byte) 0xe9});   // the tab closes: 1001 going away
            RawClient.Frame close = c.readFrame();
            assertThat(close.opcode()).isEqualTo(0x8);
            shell.closed.get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void theEndOfTheSessionReachesThePage() throws Exception {
        try (RawClient c = new RawClient(server.localAddress())) {
            c.get(base + "ws?target=i-0123456789abcdef0", upgrade("http://" + host));
            c.readFrame();
            c.readFrame();
            opened.get(10, TimeUnit.SECONDS).end(OptionalInt.of(0), "");
            assertThat(c.readFrame().text()).isEqualTo("{\"type\":\"ended\",\"exitCode\":0,\"message\":\"\"}");
            assertThat(c.readFrame().opcode()).isEqualTo(0x8);
        }
    }

    @Test
    void aSessionThatCannotStartIsReportedInThePage() throws IOException {
        try (RawClient c = new RawClient(server.localAddress())) {
            c.get(base + "ws?target=i-0ffffffffffffffff", upgrade("http://" + host));
            c.readFrame();
            assertThat(c.readFrame().text())
                    .isEqualTo("{\"type\":\"failed\",\"message\":\"Target i-0ffffffffffffffff is not connected.\"}");
            RawClient.Frame close = c.readFrame();
            assertThat(close.opcode()).isEqualTo(0x8);
            assertThat(close.payload()[0] << 8 | close.payload()[1] & 0xff).isEqualTo(1011);
        }
    }

    @Test
    void aBadControlMessageClosesWithAPolicyError() throws Exception {
        try (RawClient c = new RawClient(server.localAddress())) {
            c.get(base + "ws?target=i-0123456789abcdef0", upgrade("http://" + host));
            c.readFrame();
            c.readFrame();
            c.frame(0x1, "{\"type\":\"resize\",\"cols\":-1,\"rows\":1}".getBytes(StandardCharsets.UTF_8));
            RawClient.Frame close = c.readFrame();
            assertThat(close.opcode()).isEqualTo(0x8);
            assertThat(close.payload()[0] << 8 | close.payload()[1] & 0xff).isEqualTo(1008);
            assertThat(new String(close.payload(), 2, close.payload().length - 2, StandardCharsets.UTF_8))
                    .isEqualTo("resize cols must be 1..4096, was -1");
            opened.get(10, TimeUnit.SECONDS).closed.get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aFixedTargetIsTheOnlyOne() throws Exception {
        server.close();
        server = WebTerminalServer.builder().target("i-0123456789abcdef0").shellIos((t, cols, rows) -> {
            ScriptedShell s = new ScriptedShell("fixed");
            opened.complete(s);
            return s;
        }).start();
        URI url = server.url();
        host = url.getHost() + ":" + url.getPort();
        base = url.getPath();
        try (RawClient c = new RawClient(server.localAddress())) {
            c.get(base + "api/config", headers());
            assertThat(c.body()).isEqualTo("{\"target\":\"i-0123456789abcdef0\",\"instances\":false}");
        }
        try (RawClient c = new RawClient(server.localAddress())) {
            c.get(base + "ws?target=i-0aaaaaaaaaaaaaaaa", upgrade("http://" + host));
            assertThat(c.readFrame().text()).isEqualTo(
                    "{\"type\":\"failed\",\"message\":\"This server serves only target i-0123456789abcdef0.\"}");
        }
        assertThat(opened).isNotDone();
    }

    @Test
    void aNonLoopbackBindNeedsAllowRemote() throws Exception {
        assertThatThrownBy(() -> WebTerminalServer.builder().bindAddress(InetAddress.getByName("0.0.0.0"))
                .shellIos((t, c, r) -> null).start())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("binding to 0.0.0.0 would offer a shell to everyone who can reach this machine; allow it "
                        + "explicitly (--allow-remote)");
        try (WebTerminalServer remote = WebTerminalServer.builder().bindAddress(InetAddress.getByName("0.0.0.0"))
                .allowRemote(true).shellIos((t, c, r) -> null).start();
             RawClient c = new RawClient(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(),
                     remote.localAddress().getPort()))) {
            // any Host is accepted on a remote bind, the token still is not optional
            Map<String, String> h = Map.of("Host", "build-box.internal:" + remote.localAddress().getPort());
            assertThat(c.get("/", h)).startsWith("HTTP/1.1 403");
        }
    }
}
