package dev.ssmsession.client.internal;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Tag("pure")
class ProxySettingsTest {
    @Test
    void noProxyMatchesHostsAndDomainSuffixes() {
        ProxySettings p = ProxySettings.of("http://proxy:3128", "localhost, .internal.example,amazonaws.com:443,*.corp");
        assertThat(p.appliesTo("localhost")).isFalse();
        assertThat(p.appliesTo("db.internal.example")).isFalse();
        assertThat(p.appliesTo("internal.example")).isFalse();
        assertThat(p.appliesTo("ssmmessages.eu-west-1.amazonaws.com")).isFalse();
        assertThat(p.appliesTo("x.corp")).isFalse();
        assertThat(p.appliesTo("notamazonaws.com")).isTrue();
        assertThat(p.appliesTo("example.org")).isTrue();
        assertThat(ProxySettings.of("proxy:1", "*").appliesTo("anything")).isFalse();
    }

    @Test
    void bareHostPortDefaultsToHttpAndUserInfoIsDecoded() {
        ProxySettings p = ProxySettings.of("user%40corp:p%3Ass@proxy.local:8080", null);
        assertThat(p.host()).isEqualTo("proxy.local");
        assertThat(p.port()).isEqualTo(8080);
        assertThat(p.userInfo()).contains("user@corp:p:ss");
        assertThat(p.toString()).doesNotContain("p%3Ass").doesNotContain("p:ss");
    }

    @Test
    void rejectsHttpsProxiesWithoutLeakingThePassword() {
        assertThatThrownBy(() -> ProxySettings.of("https://u:SECRET@proxy:443", null))
                .hasMessageContaining("https").satisfies(e -> assertThat(e.getMessage()).doesNotContain("SECRET"));
    }

    @Test
    void nonProxyPatternsForTheSdkClient() {
        assertThat(ProxySettings.of("proxy:1", ".a.com,b.com").nonProxyHostPatterns())
                .containsExactly("*.a.com", "a.com", "b.com", "*.b.com");
    }
}
