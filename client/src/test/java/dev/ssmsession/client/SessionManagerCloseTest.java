package dev.ssmsession.client;

import dev.ssmsession.testkit.LocalSessionManager;
import dev.ssmsession.testkit.LocalSessionManagerExtension;
import dev.ssmsession.testkit.SessionView;
import dev.ssmsession.testkit.TestkitCredentials;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

import java.net.URI;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link SessionManager#close()} racing with sessions being opened, and against a dead SSM endpoint. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class SessionManagerCloseTest {
    @RegisterExtension
    static final LocalSessionManagerExtension LOCAL = new LocalSessionManagerExtension();

    private final ExecutorService callers = Executors.newCachedThreadPool();

    @AfterEach
    void stopCallers() {
        callers.shutdownNow();
    }

    static SessionManager.Builder managerFor(LocalSessionManager local) {
        TestkitCredentials c = local.credentials();
        return SessionManager.builder()
                .region(local.region())
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsSessionCredentials.create(c.accessKeyId(), c.secretAccessKey(), c.sessionToken())))
                .ssmEndpoint(local.ssmEndpoint())
                .kmsEndpoint(local.kmsEndpoint())
                .environment(Map.of());
    }

    @Test
    void closingWhileASessionConnectsEndsItAndTheOpenFailsAsClosed() throws Exception {
        LocalSessionManager local = LOCAL.get();
        try (GatedRelay relay = new GatedRelay(local.streamUrlBase().getPort())) {
            SessionManager manager = managerFor(local)
                    .ssmMessagesEndpoint(URI.create("http://127.0.0.1:" + relay.port())).build();
            SessionToken token = manager.startSession(SessionRequest.shell(local.defaultTarget()));
            CompletableFuture<Session> opening = CompletableFuture.supplyAsync(
                    () -> manager.open(token, local.defaultTarget()), callers);
            assertThat(relay.accepted.await(30, TimeUnit.SECONDS)).as("the data channel is connecting").isTrue();

            manager.close();
            relay.open();

            assertThatThrownBy(() -> opening.get(60, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOfSatisfying(SessionException.class, e -> {
                        assertThat(e.reason()).isEqualTo(SessionException.Reason.CLOSED);
                        assertThat(e.getMessage()).contains(token.sessionId()).contains("closed")
                                .doesNotContain(token.tokenValue());
                    });
            assertThat(local.session(token.sessionId())).map(SessionView::status).contains("TERMINATED");
        }
    }
}
