package dev.ssmsession.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ssmsession.client.SessionManager;
import dev.ssmsession.client.SessionRequest;
import dev.ssmsession.client.SessionToken;
import dev.ssmsession.testkit.LocalSessionManager;
import dev.ssmsession.testkit.TinyProxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report: with a proxy and NO_PROXY=127.0.0.1,localhost,::1 in the environment, the
 * session-manager-plugin failed the KMS handshake (and ResumeSession/TerminateSession). The real launcher, its
 * environment as the AWS CLI hands it over, tinyproxy as the proxy and a KMS-encrypted testkit.
 */
class ProxyPluginIT {
    private static LocalSessionManager local;

    @TempDir
    static Path home;

    @BeforeAll
    static void startTestkit() {
        Assumptions.assumeTrue(TinyProxy.binary().isPresent(), "tinyproxy is not installed (apt-get install tinyproxy; "
                + ".ci/run installs it): the real-proxy tests are skipped");
        local = LocalSessionManager.builder().kmsEncryption(true).build().start();
    }

    @AfterAll
    static void stopTestkit() {
        if (local != null) {
            local.close();
        }
    }

    private static String api() {
        return "http://127.0.0.1:" + local.ssmEndpoint().getPort();
    }

    /** What {@code aws ssm start-session --endpoint-url <testkit>} runs after its own StartSession. */
    private static Launchers.Result plugin(TinyProxy proxy, String noProxy, String marker) throws Exception {
        SessionToken token;
        try (SessionManager manager = DemoCommandAccess.manager(local)) {
            token = manager.startSession(SessionRequest.shell(local.defaultTarget()));
        }
        String session = "{\"SessionId\": \"" + token.sessionId() + "\", \"StreamUrl\": \"" + token.streamUrl()
                + "\", \"TokenValue\": \"" + token.tokenValue() + "\"}";
        Map<String, String> env = TestkitEnvironment.of(local, home);
        env.put("HTTPS_PROXY", proxy.url());
        env.put("HTTP_PROXY", proxy.url());
        env.put("NO_PROXY", noProxy);
        env.put("AWS_ENDPOINT_URL_KMS", api() + "/kms");
        return Launchers.run(List.of(Launchers.bin().resolve("session-manager-plugin").toString(), session,
                local.region(), "StartSession", "", "{\"Target\": \"" + local.defaultTarget() + "\"}", api() + "/ssm"),
                env, ("echo " + marker + "-$((40+2))\nexit\n").getBytes(StandardCharsets.UTF_8), 120);
    }

    @Test
    void theReportedNoProxyValueKeepsTheTestkitDirectAndTheEncryptedSessionWorks() throws Exception {
        try (TinyProxy proxy = TinyProxy.start(home)) {
            Launchers.Result result = plugin(proxy, "127.0.0.1,localhost,::1", "direct");
            assertThat(result.exitCode()).as(result.err()).isZero();
            assertThat(result.out()).contains("direct-42");
            assertThat(result.err()).doesNotContain("Dangling meta character");
            assertThat(proxy.requests()).as("nothing through the proxy").isEmpty();
        }
    }

    @Test
    void withoutTheTestkitInNoProxyTheWebSocketAndKmsGoThroughTheProxy() throws Exception {
        try (TinyProxy proxy = TinyProxy.start(home)) {
            Launchers.Result result = plugin(proxy, "localhost,::1", "proxied");
            assertThat(result.exitCode()).as(result.err()).isZero();
            assertThat(result.out()).contains("proxied-42");
            // The shell's exit ends the session on the agent's side: no TerminateSession (ProxyIntegrationTest has one).
            assertThat(proxy.requests()).containsExactly(
                    "CONNECT 127.0.0.1:" + local.streamUrlBase().getPort() + " HTTP/1.1",
                    "POST " + api() + "/kms/ HTTP/1.1");
        }
    }
}
