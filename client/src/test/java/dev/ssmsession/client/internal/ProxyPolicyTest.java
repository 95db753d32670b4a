package dev.ssmsession.client.internal;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Which variable applies to which scheme, credentials and messages; {@link NoProxyTest} has the bypass rules. */
@Tag("pure")
class ProxyPolicyTest {
    private static Optional<String> via(ProxyPolicy p, String url) {
        return p.proxyFor(URI.create(url)).map(ProxySettings::hostPort);
    }

    @Test
    void theReportedEnvironmentResolvesAndSendsOnlyLoopbackDirect() {
        ProxyPolicy p = ProxyPolicy.resolve(null, null, Map.of(
                "HTTPS_PROXY", "http://proxy.corp:3128", "NO_PROXY", "127.0.0.1,localhost,::1"));
        assertThat(via(p, "https://ssm.eu-west-1.amazonaws.com")).contains("proxy.corp:3128");
        assertThat(via(p, "wss://ssmmessages.eu-west-1.amazonaws.com/v1/data-channel/s-1")).contains("proxy.corp:3128");
        assertThat(via(p, "https://127.0.0.1:8443")).isEmpty();
        assertThat(via(p, "wss://[::1]:8443/x")).isEmpty();
        assertThat(via(p, "https://localhost")).isEmpty();
    }

    @Test
    void httpsAndWssUseHttpsProxyHttpAndWsUseHttpProxy() {
        ProxyPolicy p = ProxyPolicy.resolve(null, null, Map.of(
                "HTTPS_PROXY", "http://secure-proxy:3128", "HTTP_PROXY", "http://plain-proxy:8080"));
        assertThat(via(p, "https://ssm.us-east-1.amazonaws.com")).contains("secure-proxy:3128");
        assertThat(via(p, "wss://ssmmessages.us-east-1.amazonaws.com")).contains("secure-proxy:3128");
        assertThat(via(p, "http://127.0.0.1:4566")).contains("plain-proxy:8080");
        assertThat(via(p, "ws://127.0.0.1:4567/v1/data-channel/s-1")).contains("plain-proxy:8080");

        ProxyPolicy httpsOnly = ProxyPolicy.resolve(null, null, Map.of("HTTPS_PROXY", "proxy:3128"));
        assertThat(via(httpsOnly, "http://127.0.0.1:4566")).as("the AWS CLI: no HTTP_PROXY, http goes direct").isEmpty();
        ProxyPolicy httpOnly = ProxyPolicy.resolve(null, null, Map.of("http_proxy", "proxy:8080"));
        assertThat(via(httpOnly, "https://ssm.us-east-1.amazonaws.com")).isEmpty();
        assertThat(via(httpOnly, "ws://10.0.0.1/x")).contains("proxy:8080");
    }

    @Test
    void upperCaseWinsLowerCaseWorksAloneAndBlankIsUnset() {
        assertThat(via(ProxyPolicy.resolve(null, null, Map.of("HTTPS_PROXY", "upper:1", "https_proxy", "lower:2")),
                "https://h")).contains("upper:1");
        assertThat(via(ProxyPolicy.resolve(null, null, Map.of("HTTPS_PROXY", " ", "https_proxy", "lower:2")),
                "https://h")).contains("lower:2");
        assertThat(via(ProxyPolicy.resolve(null, null, Map.of("https_proxy", "lower:2", "no_proxy", "h")), "https://h")).isEmpty();
        assertThat(via(ProxyPolicy.resolve(null, null, Map.of("https_proxy", "lower:2", "NO_PROXY", "h", "no_proxy", "x")),
                "https://h")).isEmpty();
        assertThat(ProxyPolicy.resolve(null, "*", Map.of("NO_PROXY", "x")).isDirect()).isTrue();
    }

    @Test
    void theBuildersProxyServesBothSchemesAndItsBypassListWins() {
        ProxyPolicy p = ProxyPolicy.resolve(URI.create("http://builder-proxy:3128"), "10.0.0.0/8",
                Map.of("HTTPS_PROXY", "http://env-proxy:1", "NO_PROXY", "*"));
        assertThat(via(p, "https://ssm.us-east-1.amazonaws.com")).contains("builder-proxy:3128");
        assertThat(via(p, "ws://127.0.0.1:4567")).contains("builder-proxy:3128");
        assertThat(via(p, "https://10.1.2.3")).isEmpty();
    }

    @Test
    void credentialsArePercentDecodedAndNeverShown() {
        ProxyPolicy p = ProxyPolicy.resolve(null, null, Map.of("HTTPS_PROXY", "http://us%40er:p%3As%20s+w@proxy.local:8080"));
        ProxySettings s = p.proxyFor(URI.create("https://ssm.us-east-1.amazonaws.com")).orElseThrow();
        assertThat(s.username()).contains("us@er");
        assertThat(s.password()).contains("p:s s+w");
        assertThat(s.basicAuthorization()).contains("Basic " + java.util.Base64.getEncoder()
                .encodeToString("us@er:p:s s+w".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        assertThat(s.port()).isEqualTo(8080);
        assertThat(ProxySettings.of("proxy.local", "HTTP_PROXY").port()).as("default port").isEqualTo(80);
        for (String shown : new String[]{s.toString(), s.describe(), p.toString(), s.endpoint().toString()}) {
            assertThat(shown).contains("proxy.local:8080").doesNotContain("p%3A").doesNotContain("p:s").doesNotContain("us%40er");
        }
        assertThat(s.describe()).isEqualTo("proxy proxy.local:8080 (HTTPS_PROXY)");
    }

    @Test
    void unusableProxyUrlsNameTheVariableButNotThePassword() {
        assertThatThrownBy(() -> ProxyPolicy.resolve(null, null, Map.of("HTTPS_PROXY", "https://u:SECRET@proxy:443")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("HTTPS_PROXY").hasMessageContaining("http://")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("SECRET"));
        assertThatThrownBy(() -> ProxyPolicy.resolve(null, null, Map.of("http_proxy", "http://u:SEC%zzRET@proxy:3128")))
                .hasMessageContaining("http_proxy").satisfies(e -> assertThat(e.getMessage()).doesNotContain("SEC"));
        assertThatThrownBy(() -> ProxyPolicy.resolve(null, null, Map.of("HTTPS_PROXY", "http://u:SE CRET@proxy:3128")))
                .hasMessageContaining("HTTPS_PROXY").satisfies(e -> assertThat(e.getMessage()).doesNotContain("SE CRET"));
    }

    @Test
    void proxyFailureMessagesNameTheProxyAndNeverItsPassword() {
        ProxySettings withCredentials = ProxySettings.of("http://bob:HUNTER2@10.0.0.5:3128", "HTTPS_PROXY");
        ProxySettings without = ProxySettings.of("http://10.0.0.5:3128", "HTTPS_PROXY");
        assertThat(ProxyFailureException.refused(without, "ssm.example:443", "HTTP/1.1 407 Proxy Authentication Required", null))
                .hasMessageStartingWith("proxy 10.0.0.5:3128 (HTTPS_PROXY) requires authentication (HTTP/1.1 407");
        assertThat(ProxyFailureException.refused(withCredentials, "ssm.example:443", "HTTP/1.0 407 Nope", null))
                .hasMessage("proxy 10.0.0.5:3128 (HTTPS_PROXY) rejected the user name and password of its URL (HTTP/1.0 407 Nope)");
        assertThat(ProxyFailureException.refused(withCredentials, "ssm.example:443", "HTTP/1.0 403 Access violation", null))
                .hasMessage("proxy 10.0.0.5:3128 (HTTPS_PROXY) refused the connection to ssm.example:443 (HTTP/1.0 403 Access violation)");
        assertThat(ProxyFailureException.unreachable(withCredentials, new java.net.ConnectException("Connection refused")))
                .hasMessageStartingWith("proxy 10.0.0.5:3128 (HTTPS_PROXY) is not reachable (connection refused)")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("HUNTER2").doesNotContain("bob"));
    }
}
