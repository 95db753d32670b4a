package dev.ssmsession.web.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("pure")
class HttpAndAccessTest {
    private static final String TOKEN = "tok3n-_A";
    private final AccessPolicy loopback = new AccessPolicy(TOKEN, Set.of("127.0.0.1:8080", "localhost:8080"));

    static Optional<HttpRequest> parse(String head) throws IOException {
        return HttpRequest.parse(new ByteArrayInputStream(head.getBytes(StandardCharsets.ISO_8859_1)));
    }

    @Test
    void parsesARequestHead() throws IOException {
        HttpRequest r = parse("GET /tok/ws?target=i-1&cols=120&x=%E2%89%88 HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n"
                + "Origin:  http://127.0.0.1:8080 \r\nUpgrade: websocket\n\r\n").orElseThrow();
        assertThat(r.method()).isEqualTo("GET");
        assertThat(r.path()).isEqualTo("/tok/ws");
        assertThat(r.queryParameter("target")).hasValue("i-1");
        assertThat(r.queryParameter("cols")).hasValue("120");
        assertThat(r.queryParameter("x")).hasValue("≈");
        assertThat(r.queryParameter("rows")).isEmpty();
        assertThat(r.header("ORIGIN")).hasValue("http://127.0.0.1:8080");
        assertThat(r.header("upgrade")).hasValue("websocket");
        assertThat(parse("")).isEmpty();
    }

    @Test
    void refusesMalformedHeads() {
        assertThatThrownBy(() -> parse("GET /\r\n\r\n")).hasMessage("malformed request line: GET /");
        assertThatThrownBy(() -> parse("GET / HTTP/2\r\n\r\n")).hasMessage("unsupported protocol HTTP/2");
        assertThatThrownBy(() -> parse("GET http://x/ HTTP/1.1\r\n\r\n"))
                .hasMessage("request target must be a path: http://x/");
        assertThatThrownBy(() -> parse("GET / HTTP/1.1\r\nno colon\r\n\r\n"))
                .hasMessage("malformed header line: no colon");
        assertThatThrownBy(() -> parse("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n")).hasMessage("repeated host header");
        assertThatThrownBy(() -> parse("GET / HTTP/1.1\r\nHost: a\r\n")).hasMessage("request head cut short");
        assertThatThrownBy(() -> parse("GET /" + "a".repeat(9000) + " HTTP/1.1\r\n\r\n"))
                .hasMessage("request line or header longer than 8192 bytes");
        assertThatThrownBy(() -> parse("GET / HTTP/1.1\r\n" + "X: y\r\n".repeat(101) + "\r\n"))
                .hasMessage("more than 100 header lines");
    }

    @Test
    void theTokenIsTheFirstPathSegment() {
        assertThat(loopback.resource("/" + TOKEN + "/")).hasValue("");
        assertThat(loopback.resource("/" + TOKEN + "/xterm/xterm.js")).hasValue("xterm/xterm.js");
        assertThat(loopback.resource("/" + TOKEN)).hasValue("");
        assertThat(loopback.needsSlash("/" + TOKEN)).isTrue();
        assertThat(loopback.needsSlash("/" + TOKEN + "/")).isFalse();
        assertThat(loopback.resource("/")).isEmpty();
        assertThat(loopback.resource("/xterm/xterm.js")).isEmpty();
        assertThat(loopback.resource("/tok3n-_/")).isEmpty();
        assertThat(loopback.resource("/tok3n-_AB/")).isEmpty();
        assertThat(loopback.resource("/x/" + TOKEN + "/")).isEmpty();
        assertThat(loopback.needsSlash("/nope")).isFalse();
    }

    @Test
    void aLoopbackServerAnswersOnlyToItsOwnHostNames() {
        assertThat(loopback.hostAllowed(Optional.of("127.0.0.1:8080"))).isTrue();
        assertThat(loopback.hostAllowed(Optional.of("LOCALHOST:8080"))).isTrue();
        assertThat(loopback.hostAllowed(Optional.of("attacker.example:8080"))).isFalse(); // DNS rebinding
        assertThat(loopback.hostAllowed(Optional.of("127.0.0.1:8081"))).isFalse();
        assertThat(loopback.hostAllowed(Optional.empty())).isFalse();
        AccessPolicy remote = new AccessPolicy(TOKEN, Set.of());
        assertThat(remote.hostAllowed(Optional.of("build-box.internal:8080"))).isTrue();
        assertThat(remote.hostAllowed(Optional.empty())).isFalse();
    }

    @Test
    void theWebSocketOriginMustBeThisServer() {
        Optional<String> host = Optional.of("127.0.0.1:8080");
        assertThat(loopback.originAllowed(Optional.of("http://127.0.0.1:8080"), host)).isTrue();
        assertThat(loopback.originAllowed(Optional.of("http://evil.example"), host)).isFalse();
        assertThat(loopback.originAllowed(Optional.of("http://127.0.0.1:8081"), host)).isFalse();
        assertThat(loopback.originAllowed(Optional.of("https://127.0.0.1:8080"), host)).isFalse();
        assertThat(loopback.originAllowed(Optional.of("null"), host)).isFalse();
        assertThat(loopback.originAllowed(Optional.empty(), host)).isFalse();
        // a forged Host that matches a forged Origin still fails the Host check
        assertThat(loopback.originAllowed(Optional.of("http://evil.example"), Optional.of("evil.example"))).isFalse();
    }
}
