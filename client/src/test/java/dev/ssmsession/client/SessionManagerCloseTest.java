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
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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

    @Test
    void closeTerminatesAllOpenSessionsAtOnce() throws Exception {
        LocalSessionManager local = LOCAL.get();
        int n = 3;
        // Answers only once all n calls are in flight together: one after the other never gets there.
        try (TerminateSessionEndpoint ssm = new TerminateSessionEndpoint(n);
             SessionManager starter = managerFor(local).build()) {
            SessionManager manager = managerFor(local).ssmEndpoint(ssm.uri()).closeTimeout(Duration.ofSeconds(30)).build();
            List<Session> sessions = openSessions(starter, manager, local, n);

            CompletableFuture.runAsync(manager::close, callers).get(20, TimeUnit.SECONDS);

            assertThat(ssm.terminated).containsExactlyInAnyOrderElementsOf(ids(sessions));
            assertAllClosedLocally(sessions);
            for (Session s : sessions) {
                starter.terminateSession(s.sessionId());
            }
        }
    }

    @Test
    void closeAgainstADeadSsmEndpointReturnsWithinItsBoundAndEndsEverySession() throws Exception {
        LocalSessionManager local = LOCAL.get();
        int n = 3;
        try (TerminateSessionEndpoint dead = new TerminateSessionEndpoint(n + 1);
             SessionManager starter = managerFor(local).build()) {
            SessionManager manager = managerFor(local).ssmEndpoint(dead.uri()).closeTimeout(Duration.ofSeconds(1)).build();
            List<Session> sessions = openSessions(starter, manager, local, n);

            // One by one, each call would wait for the SDK's timeouts and retries.
            CompletableFuture.runAsync(manager::close, callers).get(20, TimeUnit.SECONDS);

            assertThat(dead.terminated).containsExactlyInAnyOrderElementsOf(ids(sessions));
            assertAllClosedLocally(sessions);
            for (Session s : sessions) {
                starter.terminateSession(s.sessionId());
            }
        }
    }

    /** Started through {@code starter} (the real testkit API), opened and handshaken by {@code manager}. */
    private static List<Session> openSessions(SessionManager starter, SessionManager manager, LocalSessionManager local,
                                              int n) {
        List<Session> sessions = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            SessionToken token = starter.startSession(SessionRequest.shell(local.defaultTarget()));
            Session s = manager.open(token, local.defaultTarget());
            sessions.add(s);
            s.awaitInfo(Duration.ofSeconds(20));
        }
        return sessions;
    }

    private static List<String> ids(List<Session> sessions) {
        return sessions.stream().map(Session::sessionId).toList();
    }

    private static void assertAllClosedLocally(List<Session> sessions) {
        for (Session s : sessions) {
            assertThat(s.ended()).as(s.sessionId()).isCompleted();
            assertThat(s.ended().join().closedLocally()).as(s.sessionId()).isTrue();
        }
    }
}
