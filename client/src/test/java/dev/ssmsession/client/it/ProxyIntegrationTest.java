package dev.ssmsession.client.it;

import dev.ssmsession.client.Session;
import dev.ssmsession.client.SessionException;
import dev.ssmsession.client.SessionManager;
import dev.ssmsession.client.SessionRequest;
import dev.ssmsession.client.SessionToken;
import dev.ssmsession.client.ShellSession;
import dev.ssmsession.testkit.LocalSessionManager;
import dev.ssmsession.testkit.LocalSessionManagerExtension;
import dev.ssmsession.testkit.TinyProxy;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Through a real proxy (Debian's tinyproxy): which of StartSession, the data-channel WebSocket,
 * KMS GenerateDataKey, ResumeSession and TerminateSession go through it, which NO_PROXY forms keep
 * them direct, credentials, and the one message a refusing, authenticating or dead proxy gives.
 * The testkit speaks http:// and ws://, so HTTP_PROXY is the variable that applies (as in the AWS CLI).
 * SSM and KMS share the testkit's API port; their endpoints get distinct paths so the proxy's log
 * tells them apart.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ProxyIntegrationTest {
    @RegisterExtension
    static final LocalSessionManagerExtension LOCAL = new LocalSessionManagerExtension(
            LocalSessionManager.builder().kmsEncryption(true));

    @TempDir
    Path dir;

    @BeforeAll
    static void needsTinyproxy() {
        assumeTrue(TinyProxy.binary().isPresent(), "tinyproxy is not installed (apt-get install tinyproxy; .ci/run "
                + "installs it): the real-proxy tests are skipped");
    }

    private static int apiPort() {
        return LOCAL.get().ssmEndpoint().getPort();
    }

    private static int dataPort() {
        return LOCAL.get().streamUrlBase().getPort();
    }

    private static String ssmCall() {
        return "POST http://127.0.0.1:" + apiPort() + "/ssm/ HTTP/1.1";
    }

    private static String kmsCall() {
        return "POST http://127.0.0.1:" + apiPort() + "/kms/ HTTP/1.1";
    }

    private static String webSocket() {
        return "CONNECT 127.0.0.1:" + dataPort() + " HTTP/1.1";
    }

    /** What ssm-session and the plugin do: everything from the environment map. */
    private static SessionManager manager(Map<String, String> proxyEnv) {
        LocalSessionManager local = LOCAL.get();
        Map<String, String> env = new HashMap<>(Map.of(
                "AWS_REGION", local.region(),
                "AWS_ENDPOINT_URL_SSM", "http://127.0.0.1:" + apiPort() + "/ssm",
                "AWS_ENDPOINT_URL_KMS", "http://127.0.0.1:" + apiPort() + "/kms"));
        env.putAll(proxyEnv);
        return SessionManager.builder().credentialsProvider(Testkit.credentials(local)).environment(env).build();
    }

    private static void echo(ShellSession shell, String marker) throws Exception {
        shell.stdin().write(("echo " + marker + "-$((40+2))\r").getBytes(StandardCharsets.UTF_8));
        assertThat(ShellSessionIntegrationTest.readUntil(shell.stdout(), marker + "-42")).contains(marker + "-42");
    }

    @Test
    void startSessionWebSocketKmsResumeAndTerminateAllGoThroughTheProxy() throws Exception {
        LocalSessionManager local = LOCAL.get();
        try (TinyProxy proxy = TinyProxy.start(dir);
             SessionManager manager = manager(Map.of("HTTP_PROXY", proxy.url(),
                     // The reported environment: this value used to stop the client before anything happened.
                     "HTTPS_PROXY", proxy.url(), "NO_PROXY", "localhost,::1"))) {
            int mark = proxy.requests().size();
            SessionToken token = manager.startSession(SessionRequest.shell(local.defaultTarget()));
            assertThat(proxy.requestsSince(mark)).as("StartSession").containsExactly(ssmCall());

            mark = proxy.requests().size();
            Session session = manager.open(token, local.defaultTarget());
            ShellSession shell = session.shell();
            assertThat(session.awaitInfo(Duration.ofSeconds(20)).encrypted()).isTrue();
            echo(shell, "via-proxy");
            assertThat(proxy.requestsSince(mark)).as("the data channel, then KMS for the handshake")
                    .containsExactly(webSocket(), kmsCall());

            mark = proxy.requests().size();
            local.cutConnection(session.sessionId());
            echo(shell, "resumed");
            assertThat(session.reconnects()).isEqualTo(1);
            assertThat(proxy.requestsSince(mark)).as("ResumeSession, then a new WebSocket")
                    .containsExactly(ssmCall(), webSocket());

            mark = proxy.requests().size();
            session.close();
            session.ended().get(20, TimeUnit.SECONDS);
            assertThat(proxy.awaitRequestsSince(mark, 1)).as("TerminateSession").containsExactly(ssmCall());
            assertThat(local.session(session.sessionId()).orElseThrow().connections()).isEqualTo(2);
        }
    }

    /** Each NO_PROXY form that matches the testkit's 127.0.0.1 keeps every connection off the proxy. */
    @ParameterizedTest(name = "NO_PROXY={0}")
    @ValueSource(strings = {"127.0.0.1", "127.0.0.0/8", "127.0.0.1:{api},127.0.0.1:{data}", "*",
            "127.0.0.1,localhost,::1", " LOCALHOST , [::1] ,127.0.0.1 ", "10.0.0.0/8,.127.0.0.1,*.amazonaws.com"})
    void noProxyFormsMatchingTheTestkitKeepEverythingDirect(String noProxy) throws Exception {
        LocalSessionManager local = LOCAL.get();
        String value = noProxy.replace("{api}", String.valueOf(apiPort())).replace("{data}", String.valueOf(dataPort()));
        try (TinyProxy proxy = TinyProxy.start(dir);
             SessionManager manager = manager(Map.of("HTTP_PROXY", proxy.url(), "HTTPS_PROXY", proxy.url(), "no_proxy", value))) {
            Session session = manager.start(SessionRequest.shell(local.defaultTarget()));
            ShellSession shell = session.shell();
            assertThat(session.awaitInfo(Duration.ofSeconds(20)).encrypted()).isTrue();
            echo(shell, "direct");
            local.cutConnection(session.sessionId());
            echo(shell, "direct-again");
            session.close();
            session.ended().get(20, TimeUnit.SECONDS);
            assertThat(local.session(session.sessionId()).orElseThrow().connections()).isEqualTo(2);
            assertThat(proxy.requests()).as("nothing went through the proxy").isEmpty();
        }
    }

    @Test
    void aPortRuleSendsTheSdkCallsDirectAndTheWebSocketThroughTheProxy() throws Exception {
        LocalSessionManager local = LOCAL.get();
        try (TinyProxy proxy = TinyProxy.start(dir);
             SessionManager manager = manager(Map.of("HTTP_PROXY", proxy.url(), "NO_PROXY", "127.0.0.1:" + apiPort()))) {
            try (Session session = manager.start(SessionRequest.shell(local.defaultTarget()))) {
                echo(session.shell(), "split");
            }
            assertThat(proxy.requests()).containsExactly(webSocket());
        }
    }

    @Test
    void basicCredentialsFromTheUrlArePercentDecodedAndSentOnEveryConnection() throws Exception {
        LocalSessionManager local = LOCAL.get();
        try (TinyProxy proxy = TinyProxy.start(dir, "BasicAuth alice s3cr.et-1");
             SessionManager manager = manager(Map.of("HTTP_PROXY", proxy.url("alice:s3cr%2Eet%2D1")))) {
            Session session = manager.start(SessionRequest.shell(local.defaultTarget()));
            ShellSession shell = session.shell();
            assertThat(session.awaitInfo(Duration.ofSeconds(20)).encrypted()).isTrue();
            echo(shell, "authenticated");
            session.close();
            session.ended().get(20, TimeUnit.SECONDS);
            assertThat(proxy.awaitRequestsSince(0, 4)).containsExactly(ssmCall(), webSocket(), kmsCall(), ssmCall());
        }
    }

    @Test
    void aProxyAskingForCredentialsGivesOneMessageNamingIt() throws Exception {
        LocalSessionManager local = LOCAL.get();
        try (TinyProxy proxy = TinyProxy.start(dir, "BasicAuth alice s3cret")) {
            String named = "proxy 127.0.0.1:" + proxy.port() + " (HTTP_PROXY)";
            try (SessionManager manager = manager(Map.of("HTTP_PROXY", proxy.url()))) {
                assertThatThrownBy(() -> manager.startSession(SessionRequest.shell(local.defaultTarget())))
                        .isInstanceOfSatisfying(SessionException.class, e -> {
                            assertThat(e.reason()).isEqualTo(SessionException.Reason.CONFIGURATION);
                            assertThat(e.getMessage()).startsWith("ssm:StartSession for target " + local.defaultTarget())
                                    .contains(named + " requires authentication (HTTP/1.1 407", "http://user:password@host:port");
                        });
            }
            // The WebSocket alone through the proxy (the SDK calls direct): the same words, at once.
            try (SessionManager manager = manager(Map.of("HTTP_PROXY", proxy.url(), "NO_PROXY", "127.0.0.1:" + apiPort()))) {
                assertThatThrownBy(() -> manager.start(SessionRequest.shell(local.defaultTarget())))
                        .isInstanceOfSatisfying(SessionException.class, e -> {
                            assertThat(e.reason()).isEqualTo(SessionException.Reason.CONFIGURATION);
                            assertThat(e.getMessage()).startsWith("cannot open the data channel of session ")
                                    .contains(named + " requires authentication (HTTP/1.0 407");
                        });
            }
            try (SessionManager manager = manager(Map.of("HTTP_PROXY", proxy.url("alice:WRONG-PASSWORD")))) {
                assertThatThrownBy(() -> manager.startSession(SessionRequest.shell(local.defaultTarget())))
                        .isInstanceOfSatisfying(SessionException.class, e -> assertThat(e.getMessage())
                                // tinyproxy answers wrong credentials with 401 Unauthorized.
                                .contains(named + " rejected the user name and password of its URL (HTTP/1.1 401")
                                .doesNotContain("WRONG-PASSWORD").doesNotContain("alice"));
            }
            try (SessionManager manager = manager(Map.of("HTTP_PROXY", proxy.url("alice:WRONG-PASSWORD"),
                    "NO_PROXY", "127.0.0.1:" + apiPort()))) {
                assertThatThrownBy(() -> manager.start(SessionRequest.shell(local.defaultTarget())))
                        .isInstanceOfSatisfying(SessionException.class, e -> assertThat(e.getMessage())
                                .contains(named + " rejected the user name and password of its URL")
                                .doesNotContain("WRONG-PASSWORD").doesNotContain("alice"));
            }
        }
    }

    @Test
    void aProxyRefusingTheConnectGivesOneMessageNamingIt() throws Exception {
        LocalSessionManager local = LOCAL.get();
        // Debian's default: CONNECT only to 443 and 563. The SDK's plain-http POSTs still pass.
        try (TinyProxy proxy = TinyProxy.start(dir, "ConnectPort 443", "ConnectPort 563");
             SessionManager manager = manager(Map.of("HTTP_PROXY", proxy.url()))) {
            long start = System.nanoTime();
            assertThatThrownBy(() -> manager.start(SessionRequest.shell(local.defaultTarget())))
                    .isInstanceOfSatisfying(SessionException.class, e -> assertThat(e.getMessage())
                            .contains("proxy 127.0.0.1:" + proxy.port() + " (HTTP_PROXY) refused the connection to 127.0.0.1:"
                                    + dataPort() + " (HTTP/1.1 403 Access violation)"));
            assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start)).as("no retrying").isLessThan(10);
            List<String> seen = proxy.awaitRequestsSince(0, 3);
            assertThat(seen).as("StartSession, the refused CONNECT, TerminateSession of the unusable session")
                    .containsExactly(ssmCall(), webSocket(), ssmCall());
        }
    }

    @Test
    void aDeadProxyGivesOneMessageNamingItAndNoPassword() throws Exception {
        LocalSessionManager local = LOCAL.get();
        int dead = TinyProxy.freePort();
        String named = "proxy 127.0.0.1:" + dead + " (HTTP_PROXY) is not reachable (connection refused)";
        String url = "http://bob:HUNTER2@127.0.0.1:" + dead;
        try (SessionManager manager = manager(Map.of("HTTP_PROXY", url))) {
            assertThatThrownBy(() -> manager.startSession(SessionRequest.shell(local.defaultTarget())))
                    .isInstanceOfSatisfying(SessionException.class, e -> {
                        assertThat(e.reason()).isEqualTo(SessionException.Reason.CONFIGURATION);
                        assertThat(e.getMessage()).contains(named).doesNotContain("HUNTER2");
                    });
        }
        try (SessionManager manager = manager(Map.of("HTTP_PROXY", url, "NO_PROXY", "127.0.0.1:" + apiPort()))) {
            long start = System.nanoTime();
            assertThatThrownBy(() -> manager.start(SessionRequest.shell(local.defaultTarget())))
                    .isInstanceOfSatisfying(SessionException.class, e -> assertThat(e.getMessage())
                            .startsWith("cannot open the data channel of session ").contains(named).doesNotContain("HUNTER2"));
            assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start)).as("no retrying").isLessThan(10);
        }
    }
}
