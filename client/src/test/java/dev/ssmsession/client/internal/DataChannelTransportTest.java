package dev.ssmsession.client.internal;

import dev.ssmsession.client.SessionException;
import dev.ssmsession.client.SessionException.Reason;
import dev.ssmsession.client.SessionToken;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * SPEC §7.2 on virtual time: every attempt is scripted (ResumeSession's answer, the WebSocket's fate and how long it
 * took), the scheduler and the I/O executor run only when the test steps them, and the jitter is none, so every
 * wait and deadline is exact. Real sockets: {@link DataChannelTransportLoopbackTest}.
 */
@Tag("pure")
@Timeout(10)  // a safety net only: nothing here waits on a clock
class DataChannelTransportTest {
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final URI STREAM_URL =
            URI.create("wss://ssmmessages.eu-west-1.amazonaws.com/v1/data-channel/s-1?role=publish_subscribe");
    private static final String UPGRADE_REFUSED =
            "WebSocket upgrade to ssmmessages.eu-west-1.amazonaws.com:443 failed: HTTP/1.1 403 Forbidden";

    private final ManualScheduler scheduler = new ManualScheduler();
    private final QueuedExecutor io = new QueuedExecutor();
    /** Where the code under test runs right now: "caller", "io", "scheduler" or "reader". */
    private String thread = "caller";
    private final Script script = new Script();
    private final List<String> events = new ArrayList<>();
    private final List<String> progress = new ArrayList<>();
    private final List<SessionException> failures = new ArrayList<>();

    // ---- reconnecting after a loss

    @Test
    void failedAttemptsAreRetriedWithAGrowingBackoffUntilTheChannelIsBack() {
        script.resumes.add(() -> {
            throw new SessionException(Reason.THROTTLED, "ssm:ResumeSession was throttled");
        });
        script.resumes.add(() -> Optional.of("TOKEN-B"));
        script.opens.add(up());
        script.opens.add(refused(UPGRADE_REFUSED));
        script.opens.add(up());
        DataChannelTransport t = transport(Duration.ofSeconds(20));
        t.connect();
        assertThat(events).containsExactly("up");
        scheduler.elapse(60_000 * MS);

        script.link(0).drop("cut");
        assertThat(events).containsExactly("up", "down:cut");
        assertThat(t.isReconnecting()).isTrue();
        runUntilIdle();

        assertThat(script.calls).containsExactly(
                "open TOKEN-A on caller at 0 ms, 5000 ms to go",
                "resume on io at 60000 ms",
                "resume on io at 60100 ms",
                "open TOKEN-B on io at 60100 ms, 5000 ms to go",
                "resume on io at 60300 ms",
                "open TOKEN-B on io at 60300 ms, 5000 ms to go");
        assertThat(waitsMillis()).as("the backoff doubles").containsExactly(100L, 200L);
        assertThat(progress).containsExactly(
                "reconnecting 1 until 80000 ms after cut",
                "reconnecting 2 until 80000 ms after ssm:ResumeSession was throttled",
                "reconnecting 3 until 80000 ms after " + UPGRADE_REFUSED,
                "reconnected after 300 ms");
        assertThat(events).containsExactly("up", "down:cut", "up:reconnect");
        assertThat(t.isReconnecting()).isFalse();
        assertThat(t.reconnects()).isEqualTo(1);
        assertThat(failures).isEmpty();
        assertThat(t.send(new byte[]{1, 2})).isTrue();
        assertThat(script.link(1).enqueued).hasSize(1);
        assertThat(script.link(0).enqueued).isEmpty();
    }

    @Test
    void givesUpAtTheDeadlineWhenEveryAttemptFailsAndSaysSoOnce() {
        script.resumes.add(() -> Optional.of("TOKEN-B"));
        script.opens.add(up());
        script.opens.add(refused(UPGRADE_REFUSED));
        DataChannelTransport t = transport(Duration.ofSeconds(2));
        t.connect();
        script.link(0).drop("cut");
        runUntilIdle();

        // 0.1 + 0.2 + 0.4 + 0.8 s of waiting; the next wait (1.6 s) would start an attempt after the 2 s deadline.
        assertThat(waitsMillis()).containsExactly(100L, 200L, 400L, 800L);
        assertThat(script.calls).filteredOn(c -> c.startsWith("resume")).containsExactly(
                "resume on io at 0 ms", "resume on io at 100 ms", "resume on io at 300 ms", "resume on io at 700 ms",
                "resume on io at 1500 ms");
        assertThat(failures).singleElement().satisfies(e -> {
            assertThat(e.reason()).isEqualTo(Reason.CONNECTION_LOST);
            assertThat(e).hasMessageContaining("s-1").hasMessageContaining("within 2 s").hasMessageContaining("upgrade");
        });
        assertThat(progress).containsExactly(
                "reconnecting 1 until 2000 ms after cut",
                "reconnecting 2 until 2000 ms after " + UPGRADE_REFUSED,
                "reconnecting 3 until 2000 ms after " + UPGRADE_REFUSED,
                "reconnecting 4 until 2000 ms after " + UPGRADE_REFUSED,
                "reconnecting 5 until 2000 ms after " + UPGRADE_REFUSED,
                "gave up: CONNECTION_LOST");
        assertThat(scheduler.nanoTime()).isEqualTo(1_500 * MS);
        assertThat(t.isReconnecting()).isFalse();

        // Nothing after giving up reports a second failure.
        script.link(0).drop("late close");
        t.close();
        runUntilIdle();
        assertThat(failures).hasSize(1);
        assertThat(progress).filteredOn(p -> p.startsWith("gave up")).hasSize(1);
        assertThat(events).containsExactly("up", "down:cut", "failed:CONNECTION_LOST");
    }

    @Test
    void attemptsAreCutToTheDeadlineAndTheTimeTheyTakeCounts() {
        script.resumes.add(() -> Optional.of("TOKEN-B"));
        script.opens.add(up());
        script.opens.add(silent());
        DataChannelTransport t = transport(Duration.ofSeconds(2));
        t.connect();
        script.link(0).drop("cut");
        runUntilIdle();

        // The first attempt gets what is left of the deadline (not the 5 s connect timeout) and uses it all:
        // no time is left for another.
        assertThat(script.calls).containsExactly("open TOKEN-A on caller at 0 ms, 2000 ms to go",
                "resume on io at 0 ms", "open TOKEN-B on io at 0 ms, 2000 ms to go");
        assertThat(waitsMillis()).isEmpty();
        assertThat(failures).singleElement().satisfies(e -> assertThat(e).hasMessageContaining("within 2 s"));
        assertThat(scheduler.nanoTime()).isEqualTo(2_000 * MS);
    }

    @Test
    void aReconnectedChannelThatIsClosedAtOnceKeepsTheOldDeadline() {
        // The upgrade succeeds and OpenDataChannel goes out, then the far end closes before anything arrives (a
        // refused token, a proxy that kills it): such a "success" must not restart the deadline, or the session
        // reconnects forever instead of ending.
        script.resumes.add(() -> Optional.of("TOKEN-B"));
        script.opens.add(up());
        script.opens.add(closedAtOnce());
        DataChannelTransport t = transport(Duration.ofSeconds(2));
        t.connect();
        script.link(0).drop("cut");
        runUntilIdle();

        assertThat(failures).singleElement().satisfies(e -> {
            assertThat(e.reason()).isEqualTo(Reason.CONNECTION_LOST);
            assertThat(e).hasMessageContaining("s-1").hasMessageContaining("within 2 s")
                    .hasMessageContaining("each new connection was closed right away");
        });
        assertThat(script.calls).filteredOn(c -> c.startsWith("resume")).as("it did resume, more than once")
                .containsExactly("resume on io at 0 ms", "resume on io at 200 ms", "resume on io at 1000 ms");
        assertThat(progress).containsExactly(
                "reconnecting 1 until 2000 ms after cut",
                "reconnected after 0 ms",
                "reconnecting 1 until 2000 ms after closed right after opening",
                "reconnected after 200 ms",
                "reconnecting 1 until 2000 ms after closed right after opening",
                "reconnected after 800 ms",
                "gave up: CONNECTION_LOST");
    }

    @Test
    void aReconnectedChannelIsProvenByAFrameOrByTenSecondsUp() {
        script.resumes.add(() -> Optional.of("TOKEN-B"));
        script.opens.add(up());
        DataChannelTransport t = transport(Duration.ofSeconds(20));
        t.connect();
        script.link(0).drop("cut 1");
        runUntilIdle();

        // Up for just under 10 s, silent: its loss continues the first outage's deadline, after a wait.
        scheduler.elapse(9_999 * MS);
        script.link(1).drop("cut 2");
        assertThat(io.queue).isEmpty();
        runUntilIdle();
        // Up for 10 s: a new outage with a deadline of its own, its first attempt at once.
        scheduler.elapse(10_000 * MS);
        script.link(2).drop("cut 3");
        assertThat(io.queue).hasSize(1);
        runUntilIdle();
        // A frame proves it at once.
        script.link(3).frame(new byte[3]);
        scheduler.elapse(1 * MS);
        script.link(3).drop("cut 4");
        assertThat(io.queue).hasSize(1);
        runUntilIdle();

        assertThat(progress).containsExactly(
                "reconnecting 1 until 20000 ms after cut 1",
                "reconnected after 0 ms",
                "reconnecting 1 until 20000 ms after cut 2",
                "reconnected after 200 ms",
                "reconnecting 1 until 40199 ms after cut 3",
                "reconnected after 0 ms",
                "reconnecting 1 until 40200 ms after cut 4",
                "reconnected after 0 ms");
        assertThat(waitsMillis()).containsExactly(200L);
        assertThat(events).contains("frame:3");
        assertThat(t.reconnects()).isEqualTo(4);
        assertThat(failures).isEmpty();
    }

    @Test
    void resumeWithoutTokenEndsTheSessionAsTimedOutAtOnce() {
        script.resumes.add(Optional::empty);
        script.opens.add(up());
        DataChannelTransport t = transport(Duration.ofSeconds(20));
        t.connect();
        script.link(0).drop("cut");
        runUntilIdle();

        assertThat(failures).singleElement().satisfies(e -> {
            assertThat(e.reason()).isEqualTo(Reason.SESSION_TIMED_OUT);
            assertThat(e).hasMessageContaining("s-1").hasMessageContaining("timed out");
        });
        assertThat(script.calls).containsExactly("open TOKEN-A on caller at 0 ms, 5000 ms to go", "resume on io at 0 ms");
        assertThat(waitsMillis()).isEmpty();
        assertThat(progress).containsExactly("reconnecting 1 until 20000 ms after cut", "gave up: SESSION_TIMED_OUT");
        assertThat(t.isReconnecting()).isFalse();
    }

    @Test
    void aSessionTheServiceNoLongerKnowsIsGivenUpAtOnce() {
        script.resumes.add(() -> {
            throw new SessionException(Reason.SESSION_NOT_FOUND, "ssm:ResumeSession: session s-1 was not found");
        });
        script.opens.add(up());
        DataChannelTransport t = transport(Duration.ofSeconds(20));
        t.connect();
        script.link(0).drop("cut");
        runUntilIdle();

        assertThat(failures).singleElement().satisfies(e -> {
            assertThat(e.reason()).isEqualTo(Reason.SESSION_NOT_FOUND);
            assertThat(e).hasMessageStartingWith("cannot resume session s-1: ").hasMessageContaining("not found");
        });
        assertThat(script.calls).hasSize(2);
        assertThat(waitsMillis()).isEmpty();
        assertThat(scheduler.nanoTime()).isZero();
    }

    @Test
    void closeDuringTheWaitCancelsThePendingAttempt() {
        script.resumes.add(() -> Optional.of("TOKEN-B"));
        script.opens.add(up());
        script.opens.add(refused(UPGRADE_REFUSED));
        DataChannelTransport t = transport(Duration.ofSeconds(20));
        t.connect();
        script.link(0).drop("cut");
        step();  // attempt 1, on the I/O executor: it fails, attempt 2 waits on the scheduler
        assertThat(scheduler.pending()).isEqualTo(1);

        t.close();
        assertThat(scheduler.pending()).as("the wait is cancelled").isZero();
        runUntilIdle();
        assertThat(script.calls).filteredOn(c -> c.startsWith("resume")).hasSize(1);
        assertThat(failures).as("closing is not a failure").isEmpty();
        assertThat(progress).containsExactly("reconnecting 1 until 20000 ms after cut");
        assertThat(t.isReconnecting()).isFalse();
    }

    // ---- the first open

    @Test
    void theFirstOpenRetriesOnTheIoExecutorAndSucceeds() {
        script.opens.add(refused("cannot connect to ssmmessages.eu-west-1.amazonaws.com:443: Connection refused"));
        script.opens.add(up());
        DataChannelTransport t = transport(Duration.ofSeconds(20));
        CompletableFuture<Void> opened = t.open();
        assertThat(opened).isNotDone();
        runUntilIdle();

        assertThat(opened).isCompleted();
        assertThat(script.calls).containsExactly("open TOKEN-A on caller at 0 ms, 5000 ms to go",
                "open TOKEN-A on io at 100 ms, 5000 ms to go");
        assertThat(events).containsExactly("up");
        assertThat(progress).as("not a reconnect").isEmpty();
        assertThat(t.reconnects()).isZero();
    }

    @Test
    void theFirstOpenGivesUpWithinItsBudgetNotTheConnectTimeout() {
        // An endpoint that never answers (a black-holed VPC endpoint address, a firewall dropping packets), and a
        // minute per attempt, as a real connect timeout might be: the 2 s budget must still hold.
        script.opens.add(silent());
        DataChannelTransport t = transport(Duration.ofSeconds(2), 60_000);
        CompletableFuture<Void> opened = t.open();
        runUntilIdle();

        assertThat(script.calls).containsExactly("open TOKEN-A on caller at 0 ms, 2000 ms to go");
        assertThat(scheduler.nanoTime()).isEqualTo(2_000 * MS);
        assertThat(failureOf(opened)).isInstanceOfSatisfying(SessionException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.CONNECTION_LOST);
                    assertThat(e.getMessage()).contains("s-1", "within 2 s", "connect timed out",
                            "Check network access to ssmmessages.eu-west-1.amazonaws.com");
                });
        assertThat(failures).as("connect() throws; the session was never up").isEmpty();
    }

    @Test
    void theFirstOpenGivesUpAfterThirtySecondsEvenWithALongerReconnectDeadline() {
        script.opens.add(refused("cannot connect to ssmmessages.eu-west-1.amazonaws.com:443: Connection refused"));
        DataChannelTransport t = transport(Duration.ofMinutes(5));
        CompletableFuture<Void> opened = t.open();
        runUntilIdle();

        // 0.1 + 0.2 + … + 3.2 + 4 × 5 s = 26.3 s; one more wait would leave less than a second before 30 s.
        assertThat(waitsMillis()).containsExactly(100L, 200L, 400L, 800L, 1_600L, 3_200L, 5_000L, 5_000L, 5_000L, 5_000L);
        assertThat(scheduler.nanoTime()).isEqualTo(26_300 * MS);
        assertThat(script.calls).hasSize(11);
        assertThat(script.calls.subList(0, 10)).allMatch(c -> c.endsWith(", 5000 ms to go"));
        assertThat(script.calls.get(10)).as("the last attempt ends at the deadline")
                .isEqualTo("open TOKEN-A on io at 26300 ms, 3700 ms to go");
        assertThat(script.calls.subList(1, 11)).allMatch(c -> c.contains(" on io "));
        assertThat(failureOf(opened)).isInstanceOfSatisfying(SessionException.class, e -> {
            assertThat(e.reason()).isEqualTo(Reason.CONNECTION_LOST);
            assertThat(e.getMessage()).contains("s-1", "within 30 s", "Connection refused");
        });
        assertThat(TimeUnit.NANOSECONDS.toSeconds(DataChannelTransport.MAX_INITIAL_CONNECT_NANOS)).isEqualTo(30);
    }

    @Test
    void noFirstAttemptStartsWithLessThanASecondLeftAndNoneOutlivesTheDeadline() {
        // Attempts that each take 700 ms and fail: after 0.7 + 0.1 + 0.7 + 0.2 + 0.7 s = 2.4 s, a wait of 0.4 s
        // would leave 0.2 s of the 3 s budget, under the 1 s an attempt needs.
        script.opens.add(slowRefusal(700));
        DataChannelTransport t = transport(Duration.ofSeconds(3));
        CompletableFuture<Void> opened = t.open();
        runUntilIdle();

        assertThat(script.calls).containsExactly("open TOKEN-A on caller at 0 ms, 3000 ms to go",
                "open TOKEN-A on io at 800 ms, 2200 ms to go", "open TOKEN-A on io at 1700 ms, 1300 ms to go");
        assertThat(scheduler.nanoTime()).isEqualTo(2_400 * MS);
        assertThat(failureOf(opened)).hasMessageContaining("within 3 s");
    }

    @Test
    void aProxyThatRefusesFailsTheFirstOpenAtOnceAsConfiguration() {
        script.opens.add((timeout, listener) -> {
            throw ProxyFailureException.refused(ProxySettings.of("http://proxy.example:3128", "HTTPS_PROXY"),
                    "ssmmessages.eu-west-1.amazonaws.com:443", "HTTP/1.1 403 Forbidden", null);
        });
        DataChannelTransport t = transport(Duration.ofSeconds(20));
        assertThatThrownBy(t::connect).isInstanceOfSatisfying(SessionException.class, e -> {
            assertThat(e.reason()).isEqualTo(Reason.CONFIGURATION);
            assertThat(e.getMessage()).contains("s-1", "ssmmessages.eu-west-1.amazonaws.com", "403");
        });
        assertThat(waitsMillis()).isEmpty();
        assertThat(script.calls).hasSize(1);
    }

    @Test
    void closeDuringTheFirstOpensWaitEndsItAtOnce() {
        script.opens.add(refused("cannot connect to ssmmessages.eu-west-1.amazonaws.com:443: Connection refused"));
        DataChannelTransport t = transport(Duration.ofSeconds(20));
        CompletableFuture<Void> opened = t.open();
        assertThat(scheduler.pending()).isEqualTo(1);

        t.close();
        assertThat(scheduler.pending()).isZero();
        assertThat(failureOf(opened)).isInstanceOfSatisfying(SessionException.class, e -> {
            assertThat(e.reason()).isEqualTo(Reason.CLOSED);
            assertThat(e).hasMessage("session s-1 was closed while connecting");
        });
        runUntilIdle();
        assertThat(script.calls).hasSize(1);
    }

    @Test
    void anExecutorShutDownDuringTheWaitEndsTheFirstOpenInsteadOfLeavingItWaiting() {
        // The manager is closing: its I/O pool refuses the next attempt, and connect() must not wait forever.
        script.opens.add(refused("cannot connect to ssmmessages.eu-west-1.amazonaws.com:443: Connection refused"));
        DataChannelTransport t = transport(Duration.ofSeconds(20));
        CompletableFuture<Void> opened = t.open();
        io.shutdown();
        runUntilIdle();

        assertThat(failureOf(opened)).isInstanceOfSatisfying(SessionException.class,
                e -> assertThat(e.reason()).isEqualTo(Reason.CLOSED));
        assertThat(script.calls).hasSize(1);
    }

    @Test
    void anInterruptedConnectEndsAsClosed() {
        script.opens.add(refused("cannot connect to ssmmessages.eu-west-1.amazonaws.com:443: Connection refused"));
        DataChannelTransport t = transport(Duration.ofSeconds(20));
        Thread.currentThread().interrupt();
        try {
            assertThatThrownBy(t::connect).isInstanceOfSatisfying(SessionException.class,
                    e -> assertThat(e.reason()).isEqualTo(Reason.CLOSED));
            assertThat(Thread.currentThread().isInterrupted()).as("the interrupt is kept").isTrue();
        } finally {
            Thread.interrupted();
        }
        assertThat(scheduler.pending()).as("no attempt left waiting").isZero();
    }

    // ---- the harness

    private DataChannelTransport transport(Duration reconnectDeadline) {
        return transport(reconnectDeadline, 5_000);
    }

    private DataChannelTransport transport(Duration reconnectDeadline, int connectTimeoutMillis) {
        Supplier<SSLContext> noTls = () -> {
            throw new AssertionError("the script connects");
        };
        TransportContext ctx = new TransportContext(
                new WebSocketConnection.Settings(noTls, null, connectTimeoutMillis, 1 << 20), u -> u,
                () -> {
                    throw new AssertionError("the script signs nothing");
                },
                "eu-west-1", true, new UpgradeSigner(Clock.systemUTC()),
                new SsmApi(() -> {
                    throw new AssertionError("the script answers ResumeSession");
                }),
                UUID.randomUUID(), "1.2.764.0", reconnectDeadline, Duration.ofMinutes(5), scheduler, io,
                scheduler::nanoTime);
        DataChannelTransport t = new DataChannelTransport(ctx, new SessionToken("s-1", "TOKEN-A", STREAM_URL),
                new DataChannelTransport.Events() {
                    @Override
                    public void onFrame(byte[] frame) {
                        events.add("frame:" + frame.length);
                    }

                    @Override
                    public void onUp(boolean reconnect) {
                        events.add(reconnect ? "up:reconnect" : "up");
                    }

                    @Override
                    public void onDown(String reason) {
                        events.add("down:" + reason);
                    }

                    @Override
                    public void onFailed(SessionException e) {
                        failures.add(e);
                        events.add("failed:" + e.reason());
                    }
                }, new ReconnectPolicy(d -> d), script);
        t.observe(new DataChannelTransport.Observer() {
            @Override
            public void reconnecting(int attempt, long deadlineNanos, String cause) {
                progress.add("reconnecting " + attempt + " until " + deadlineNanos / MS + " ms after " + cause);
            }

            @Override
            public void reconnected(long downNanos) {
                progress.add("reconnected after " + downNanos / MS + " ms");
            }

            @Override
            public void gaveUp(SessionException reason) {
                progress.add("gave up: " + reason.reason());
            }
        });
        return t;
    }

    /** Why the first open failed: it must have, by now, on virtual time. */
    private static Throwable failureOf(CompletableFuture<Void> opened) {
        assertThat(opened).isCompletedExceptionally();
        try {
            opened.getNow(null);
        } catch (java.util.concurrent.CompletionException e) {
            return e.getCause();
        }
        throw new AssertionError("unreachable");
    }

    /** The waits between attempts, as the scheduler was asked for them. */
    private List<Long> waitsMillis() {
        return scheduler.delays.stream().map(TimeUnit.NANOSECONDS::toMillis).toList();
    }

    /** Runs queued I/O first, else the next scheduled task (moving virtual time); false when nothing is left. */
    private boolean step() {
        Runnable r = io.queue.poll();
        if (r != null) {
            on("io", r);
            return true;
        }
        boolean[] ran = new boolean[1];
        on("scheduler", () -> ran[0] = scheduler.runNext());
        return ran[0];
    }

    private void runUntilIdle() {
        for (int i = 0; step(); i++) {
            assertThat(i).as("steps: still reconnecting at %d ms", scheduler.nanoTime() / MS).isLessThan(10_000);
        }
    }

    private void on(String where, Runnable r) {
        String was = thread;
        thread = where;
        try {
            r.run();
        } finally {
            thread = was;
        }
    }

    /** What one attempt to open does, given the time it may take. */
    private interface OpenStep {
        DataChannelConnector.Link open(int timeoutMillis, WebSocketConnection.Listener listener) throws IOException;
    }

    private OpenStep up() {
        return (timeout, listener) -> script.newLink(listener, true);
    }

    private OpenStep closedAtOnce() {
        return (timeout, listener) -> script.newLink(listener, false);
    }

    private static OpenStep refused(String why) {
        return (timeout, listener) -> {
            throw new IOException(why);
        };
    }

    private OpenStep slowRefusal(long millis) {
        return (timeout, listener) -> {
            scheduler.elapse(Math.min(millis, timeout) * MS);
            throw new IOException("cannot connect to ssmmessages.eu-west-1.amazonaws.com:443: Connection refused");
        };
    }

    /** Nothing answers: the attempt takes all the time it has. */
    private OpenStep silent() {
        return (timeout, listener) -> {
            scheduler.elapse(timeout * MS);
            throw new IOException("cannot connect to ssmmessages.eu-west-1.amazonaws.com:443: connect timed out");
        };
    }

    /** ResumeSession and the WebSocket, as scripted; the last step of each repeats. */
    private final class Script implements DataChannelConnector {
        final Deque<Supplier<Optional<String>>> resumes = new ArrayDeque<>();
        final Deque<OpenStep> opens = new ArrayDeque<>();
        final List<String> calls = new ArrayList<>();
        private final List<FakeLink> links = new ArrayList<>();

        @Override
        public Optional<String> resume(String sessionId) {
            assertThat(sessionId).isEqualTo("s-1");
            calls.add("resume on " + thread + " at " + scheduler.nanoTime() / MS + " ms");
            return next(resumes).get();
        }

        @Override
        public Link open(URI streamUrl, String token, int timeoutMillis, WebSocketConnection.Listener listener)
                throws IOException {
            assertThat(streamUrl).isEqualTo(STREAM_URL);
            calls.add("open " + token + " on " + thread + " at " + scheduler.nanoTime() / MS + " ms, " + timeoutMillis
                    + " ms to go");
            return next(opens).open(timeoutMillis, listener);
        }

        FakeLink newLink(WebSocketConnection.Listener listener, boolean open) {
            FakeLink l = new FakeLink(listener, open);
            links.add(l);
            return l;
        }

        /** The {@code i}-th connection that was opened (failed attempts have none). */
        FakeLink link(int i) {
            return links.get(i);
        }

        private <T> T next(Deque<T> steps) {
            assertThat(steps).as("scripted steps").isNotEmpty();
            return steps.size() > 1 ? steps.poll() : steps.peek();
        }
    }

    private final class FakeLink implements DataChannelConnector.Link {
        private final WebSocketConnection.Listener listener;
        private boolean open;
        final List<byte[]> enqueued = new ArrayList<>();

        FakeLink(WebSocketConnection.Listener listener, boolean open) {
            this.listener = listener;
            this.open = open;
        }

        /** The far end closes it: the reader thread reports. */
        void drop(String reason) {
            open = false;
            on("reader", () -> listener.onClosed(reason));
        }

        void frame(byte[] frame) {
            on("reader", () -> listener.onFrame(frame));
        }

        @Override
        public boolean enqueue(byte[] frame) {
            if (open) {
                enqueued.add(frame);
            }
            return open;
        }

        @Override
        public boolean flush() {
            return open;
        }

        @Override
        public void ping() {
        }

        @Override
        public boolean isOpen() {
            return open;
        }

        @Override
        public void close() {
            open = false;
        }
    }

    /** An executor that runs what it is given only when the test steps it. */
    private static final class QueuedExecutor extends AbstractExecutorService {
        final Deque<Runnable> queue = new ArrayDeque<>();
        private boolean shutDown;

        @Override
        public void execute(Runnable command) {
            if (shutDown) {
                throw new java.util.concurrent.RejectedExecutionException("shut down");
            }
            queue.add(command);
        }

        @Override
        public void shutdown() {
            shutDown = true;
        }

        @Override
        public List<Runnable> shutdownNow() {
            shutDown = true;
            return List.of();
        }

        @Override
        public boolean isShutdown() {
            return shutDown;
        }

        @Override
        public boolean isTerminated() {
            return shutDown && queue.isEmpty();
        }

        @Override
        public boolean awaitTermination(long timeout, TimeUnit unit) {
            return true;
        }
    }
}
