package dev.ssmsession.client.it;

import dev.ssmsession.client.Session;
import dev.ssmsession.client.SessionException;
import dev.ssmsession.client.SessionManager;
import dev.ssmsession.client.SessionRequest;
import dev.ssmsession.client.SessionToken;
import dev.ssmsession.client.ShellSession;
import dev.ssmsession.client.internal.ConnectProxy;
import dev.ssmsession.testkit.LocalSessionManager;
import dev.ssmsession.testkit.LocalSessionManagerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Attaching to a session started elsewhere, environment-driven endpoints and the proxy, manager close. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ConfigurationIntegrationTest {
    @RegisterExtension
    static final LocalSessionManagerExtension LOCAL = new LocalSessionManagerExtension();

    @Test
    void attachesToAStartSessionResponseWithCamelCaseKeys() throws Exception {
        LocalSessionManager local = LOCAL.get();
        try (SessionManager manager = Testkit.managerFor(local).build()) {
            SessionToken started = manager.startSession(SessionRequest.shell(local.defaultTarget()));
            // What ECS Exec hands the plugin (SPEC §9): camelCase keys.
            String json = "{\"sessionId\":\"" + started.sessionId() + "\",\"streamUrl\":\"" + started.streamUrl()
                    + "\",\"tokenValue\":\"" + started.tokenValue() + "\"}";
            try (Session session = manager.open(SessionToken.fromJson(json), local.defaultTarget())) {
                ShellSession shell = session.shell();
                shell.stdin().write("echo attached-$((3*3))\r".getBytes(StandardCharsets.UTF_8));
                assertThat(ShellSessionIntegrationTest.readUntil(shell.stdout(), "attached-9")).contains("attached-9");
            }
        }
    }

    @Test
    void endpointsFromTheEnvironmentAndTheWebSocketThroughTheProxy() throws Exception {
        LocalSessionManager local = LOCAL.get();
        try (ConnectProxy proxy = new ConnectProxy();
             SessionManager manager = SessionManager.builder()
                     .credentialsProvider(Testkit.credentials(local))
                     .environment(Map.of(
                             "AWS_REGION", local.region(),
                             // The SDK calls go to "localhost" (bypassing the proxy), the StreamUrl is 127.0.0.1.
                             "AWS_ENDPOINT_URL_SSM", local.ssmEndpoint().toString().replace("127.0.0.1", "localhost"),
                             "AWS_ENDPOINT_URL_KMS", local.kmsEndpoint().toString(),
                             // The testkit speaks http:// and ws://: HTTP_PROXY applies, as in the AWS CLI.
                             "HTTP_PROXY", "http://127.0.0.1:" + proxy.port(),
                             "NO_PROXY", "localhost"))
                     .build()) {
            assertThat(manager.region().id()).isEqualTo(local.region());
            CommandResultAssert.ok(manager.run(local.defaultTarget(), "echo via-proxy", Duration.ofSeconds(30)), "via-proxy");
            String connect = proxy.requests.poll(5, TimeUnit.SECONDS);
            assertThat(connect).startsWith("CONNECT 127.0.0.1:" + local.streamUrlBase().getPort() + " HTTP/1.1");
        }
    }

    @Test
    void theProxyCarriesTheSdkCallsAndTheWebSocket() throws Exception {
        LocalSessionManager local = LOCAL.get();
        try (ConnectProxy proxy = new ConnectProxy();
             SessionManager manager = Testkit.managerFor(local)
                     .environment(Map.of("HTTP_PROXY", "http://127.0.0.1:" + proxy.port()))
                     .build()) {
            CommandResultAssert.ok(manager.run(local.defaultTarget(), "echo all-via-proxy", Duration.ofSeconds(30)), "all-via-proxy");
            java.util.List<String> lines = proxy.requests.stream().map(r -> r.lines().findFirst().orElse("")).toList();
            assertThat(lines).anyMatch(l -> l.startsWith("POST " + local.ssmEndpoint().toString().replaceAll("/$", "")));
            assertThat(lines).anyMatch(l -> l.startsWith("CONNECT 127.0.0.1:" + local.streamUrlBase().getPort() + " "));
        }
    }

    @Test
    void closingTheManagerTerminatesOpenSessions() {
        LocalSessionManager local = LOCAL.get();
        SessionManager manager = Testkit.managerFor(local).build();
        Session session = manager.start(SessionRequest.shell(local.defaultTarget()));
        session.shell();
        session.awaitInfo(Duration.ofSeconds(20));
        manager.close();
        assertThat(session.ended()).isCompleted();
        assertThat(session.ended().join().closedLocally()).isTrue();
        assertThatThrownBy(() -> manager.start(SessionRequest.shell(local.defaultTarget())))
                .isInstanceOf(SessionException.class);
    }

    @Test
    void streamUrlHostOverrideIsUsedForTheWebSocket() throws Exception {
        LocalSessionManager local = LOCAL.get();
        // A VPC endpoint without private DNS: the StreamUrl names a host this machine cannot use.
        try (SessionManager manager = Testkit.managerFor(local)
                .ssmMessagesEndpoint(URI.create("http://127.0.0.1:" + local.streamUrlBase().getPort())).build()) {
            SessionToken t = manager.startSession(SessionRequest.shell(local.defaultTarget()));
            SessionToken elsewhere = new SessionToken(t.sessionId(), t.tokenValue(),
                    URI.create("wss://ssmmessages.invalid" + t.streamUrl().getRawPath() + "?" + t.streamUrl().getRawQuery()));
            try (Session session = manager.open(elsewhere, local.defaultTarget())) {
                ShellSession shell = session.shell();
                shell.stdin().write("echo private-$((5*5))\r".getBytes(StandardCharsets.UTF_8));
                assertThat(ShellSessionIntegrationTest.readUntil(shell.stdout(), "private-25")).contains("private-25");
            }
        }
    }
}
