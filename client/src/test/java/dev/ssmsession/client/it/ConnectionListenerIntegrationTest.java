package dev.ssmsession.client.it;

import dev.ssmsession.testkit.SwitchableRelay;
import dev.ssmsession.client.ConnectionListener;
import dev.ssmsession.client.PortForward;
import dev.ssmsession.client.SessionException;
import dev.ssmsession.client.SessionManager;
import dev.ssmsession.testkit.LocalSessionManager;
import dev.ssmsession.testkit.LocalSessionManagerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link ConnectionListener} against the testkit, with the data channel going through a relay that the
 * test switches off (the network is gone: every reconnect attempt fails) and on again.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ConnectionListenerIntegrationTest {
    @RegisterExtension
    final LocalSessionManagerExtension local = new LocalSessionManagerExtension(LocalSessionManager.builder());

    /** One event as the listener saw it, and the thread it was called on. */
    record Event(String kind, int attempt, Instant deadline, String detail, Duration downtime, String thread) {
    }

    static final class Recorder implements ConnectionListener {
        final BlockingQueue<Event> events = new LinkedBlockingQueue<>();

        @Override
        public void onReconnecting(String sessionId, int attempt, Instant deadline, String cause) {
            events.add(new Event("reconnecting", attempt, deadline, cause, null, Thread.currentThread().getName()));
        }

        @Override
        public void onReconnected(String sessionId, Duration downtime) {
            events.add(new Event("reconnected", 0, null, null, downtime, Thread.currentThread().getName()));
        }

        @Override
        public void onReconnectFailed(String sessionId, SessionException reason) {
            events.add(new Event("failed", 0, null, reason.reason() + ": " + reason.getMessage(), null,
                    Thread.currentThread().getName()));
        }

        Event next() throws InterruptedException {
            Event e = events.poll(30, TimeUnit.SECONDS);
            assertThat(e).as("a listener event within 30 s").isNotNull();
            return e;
        }
    }

    private SessionManager.Builder managerThrough(SwitchableRelay relay, Recorder recorder) {
        return Testkit.managerFor(local.get())
                .ssmMessagesEndpoint(URI.create("http://127.0.0.1:" + relay.port()))
                .connectionListener(recorder);
    }

    @Test
    void reportsEachAttemptThenTheReconnectAndAConnectionMadeMeanwhileGoesThrough() throws Exception {
        Recorder recorder = new Recorder();
        try (SwitchableRelay relay = new SwitchableRelay(local.get().streamUrlBase().getPort());
             EchoServer echo = new EchoServer();
             SessionManager manager = managerThrough(relay, recorder).build();
             PortForward fwd = manager.forwardPort(local.get().defaultTarget(), null, echo.port(),
                     PortForward.Options.defaults())) {
            fwd.session().awaitInfo(Duration.ofSeconds(20));
            assertThat(echoOnce(fwd, "before")).isEqualTo("before");

            Instant lostAt = Instant.now();
            relay.refuse();
            Event first = recorder.next();
            assertThat(first.kind()).isEqualTo("reconnecting");
            assertThat(first.attempt()).isEqualTo(1);
            assertThat(first.deadline()).isBetween(lostAt.plus(SessionManager.DEFAULT_RECONNECT_DEADLINE).minusSeconds(5),
                    lostAt.plus(SessionManager.DEFAULT_RECONNECT_DEADLINE).plusSeconds(5));
            assertThat(first.thread()).startsWith("ssm-session-io-");
            Event second = recorder.next();
            assertThat(second.kind()).isEqualTo("reconnecting");
            assertThat(second.attempt()).isEqualTo(2);
            assertThat(second.deadline()).isEqualTo(first.deadline());
            assertThat(fwd.session().isReconnecting()).isTrue();

            // A local connection made while the channel is down waits for it instead of failing.
            try (Socket s = new Socket(fwd.localAddress().getAddress(), fwd.localAddress().getPort())) {
                s.setSoTimeout(60_000);
                s.getOutputStream().write("during".getBytes(StandardCharsets.UTF_8));
                relay.allow();
                assertThat(readExactly(s.getInputStream(), 6)).isEqualTo("during");
            }
            Event back;
            do {
                back = recorder.next();   // attempts that started before allow() may still be reported
            } while (back.kind().equals("reconnecting"));
            assertThat(back.kind()).isEqualTo("reconnected");
            assertThat(back.downtime()).isPositive().isLessThan(Duration.ofSeconds(60));
            assertThat(back.thread()).startsWith("ssm-session-io-");
            assertThat(fwd.session().isReconnecting()).isFalse();
            assertThat(fwd.session().reconnects()).isEqualTo(1);
            assertThat(echoOnce(fwd, "after")).isEqualTo("after");
        }
    }

    @Test
    void reportsGivingUpWithTheReasonAndClosesConnectionsThatWaited() throws Exception {
        Recorder recorder = new Recorder();
        try (SwitchableRelay relay = new SwitchableRelay(local.get().streamUrlBase().getPort());
             EchoServer echo = new EchoServer();
             SessionManager manager = managerThrough(relay, recorder).reconnectDeadline(Duration.ofSeconds(2)).build();
             PortForward fwd = manager.forwardPort(local.get().defaultTarget(), null, echo.port(),
                     PortForward.Options.defaults())) {
            fwd.session().awaitInfo(Duration.ofSeconds(20));
            assertThat(echoOnce(fwd, "before")).isEqualTo("before");
            relay.refuse();
            assertThat(recorder.next().kind()).isEqualTo("reconnecting");
            try (Socket waiting = new Socket(fwd.localAddress().getAddress(), fwd.localAddress().getPort())) {
                waiting.setSoTimeout(60_000);
                Event e;
                do {
                    e = recorder.next();
                } while (e.kind().equals("reconnecting"));
                assertThat(e.kind()).isEqualTo("failed");
                assertThat(e.detail()).startsWith("CONNECTION_LOST").contains(fwd.sessionId(), "2 s");
                assertThatThrownBy(() -> fwd.session().awaitEnd(Duration.ofSeconds(10)))
                        .isInstanceOf(SessionException.class);
                // bounded: the connection that waited is closed with the session, not left hanging
                assertThat(waiting.getInputStream().read()).isEqualTo(-1);
            } catch (java.net.SocketException reset) {
                // closed by the forward: as good as EOF
            }
            assertThat(recorder.events).isEmpty();
        }
    }

    private static String echoOnce(PortForward fwd, String text) throws IOException {
        try (Socket s = new Socket(fwd.localAddress().getAddress(), fwd.localAddress().getPort())) {
            s.setSoTimeout(30_000);
            s.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
            return readExactly(s.getInputStream(), text.length());
        }
    }

    private static String readExactly(InputStream in, int n) throws IOException {
        return new String(in.readNBytes(n), StandardCharsets.UTF_8);
    }
}
