package dev.ssmsession.client.internal;

import dev.ssmsession.client.SessionException;
import dev.ssmsession.client.SessionException.Reason;
import dev.ssmsession.client.SessionToken;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Keeps one data channel's WebSocket alive: opens it (signed upgrade + OpenDataChannel), pings it,
 * and on loss runs the reconnect loop of SPEC §7.2 — {@code ResumeSession} with freshly resolved
 * credentials, a new WebSocket to the <em>original</em> StreamUrl with the new token, jittered
 * exponential backoff — until the deadline, then reports a clear failure. The session's engine is
 * not touched here; the owner resends un-acked data when told the channel is up again.
 *
 * <p>Time is the context's: deadlines are read from its ticker, and the wait between attempts is a
 * task on its scheduler that hands the next attempt to the I/O executor (attempts block on the
 * network; the scheduler never does). The attempts themselves go through a {@link DataChannelConnector}.
 *
 * <p>Events arrive on the WebSocket reader thread, the I/O executor or the thread that called
 * {@link #connect()}, never under a lock of this class.
 */
public final class DataChannelTransport implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DataChannelTransport.class);
    static final long INITIAL_BACKOFF_MILLIS = ReconnectPolicy.INITIAL_BACKOFF_MILLIS;
    static final long MAX_BACKOFF_MILLIS = ReconnectPolicy.MAX_BACKOFF_MILLIS;
    /**
     * The first open gives up sooner than a reconnect: a fresh session that cannot connect at all
     * is more likely misconfigured (endpoint, proxy, TLS) than briefly cut off.
     */
    static final long MAX_INITIAL_CONNECT_NANOS = TimeUnit.SECONDS.toNanos(30);
    /**
     * The first open starts no attempt with less than this left before its deadline (a live endpoint
     * could not answer in time either); attempts are cut to the deadline, never extended past it.
     */
    static final int MIN_ATTEMPT_MILLIS = 1_000;
    /**
     * A reconnected channel counts as working once a frame arrived on it or it stayed up this long.
     * Until then its loss continues the previous reconnect deadline and backoff: an endpoint that
     * accepts the upgrade and drops the connection at once must not restart the deadline forever.
     */
    static final long PROVEN_AFTER_NANOS = TimeUnit.SECONDS.toNanos(10);

    /** What the owner hears. */
    public interface Events {
        /** One ClientMessage from the current connection. */
        void onFrame(byte[] frame);

        /** A connection is open and OpenDataChannel is sent; {@code reconnect} after a loss. */
        void onUp(boolean reconnect);

        /** The connection was lost; a reconnect is under way. */
        void onDown(String reason);

        /** Reconnecting is over: the deadline passed, the session timed out, or it is gone. */
        void onFailed(SessionException e);
    }

    /**
     * Progress of a reconnect, for people watching (listeners, status lines). Called on the I/O executor
     * or the WebSocket reader thread, after the {@link Events} call of the same change; must not block.
     */
    public interface Observer {
        /** Attempt {@code attempt} (from 1 per outage) starts; {@code cause} is the loss or the last failure. */
        void reconnecting(int attempt, long deadlineNanos, String cause);

        /** The channel is up again, {@code downNanos} after it was lost. */
        void reconnected(long downNanos);

        /** Reconnecting gave up; the session fails with {@code reason}. */
        void gaveUp(SessionException reason);
    }

    private static final Observer NO_OBSERVER = new Observer() {
        @Override
        public void reconnecting(int attempt, long deadlineNanos, String cause) {
        }

        @Override
        public void reconnected(long downNanos) {
        }

        @Override
        public void gaveUp(SessionException reason) {
        }
    };

    private final TransportContext ctx;
    private final ReconnectPolicy policy;
    private final DataChannelConnector connector;
    private final String sessionId;
    private final URI streamUrl;
    private final Events events;
    private final Object lock = new Object();
    private String token;
    private DataChannelConnector.Link current;
    private boolean reconnecting;
    private boolean closed;
    private ScheduledFuture<?> pings;
    private int reconnects;
    /** When {@link #current} was installed, and whether a frame arrived on it since. */
    private long installedAt;
    private boolean frameSinceInstall;
    /** The deadline and next backoff of the reconnect that installed {@link #current}; 0 for the first open. */
    private long reconnectDeadlineAt;
    private long nextBackoff;
    /** The current outage: when the channel was lost and how many attempts started since. */
    private long downSince;
    private int attempts;
    /** The next attempt, waiting on the scheduler; cancelled by {@link #close()}. */
    private ScheduledFuture<?> pendingAttempt;
    /** The first open, until it succeeded or gave up: {@link #close()} ends its wait at once. */
    private CompletableFuture<Void> opening;
    private volatile Observer observer = NO_OBSERVER;

    public DataChannelTransport(TransportContext ctx, SessionToken session, Events events) {
        this(ctx, session, events, ReconnectPolicy.jittered(), DataChannelConnector.over(ctx));
    }

    /** With the schedule's jitter and the attempts themselves given: tests script them on virtual time. */
    DataChannelTransport(TransportContext ctx, SessionToken session, Events events, ReconnectPolicy policy,
                         DataChannelConnector connector) {
        this.ctx = Objects.requireNonNull(ctx, "ctx");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.connector = Objects.requireNonNull(connector, "connector");
        this.sessionId = session.sessionId();
        this.streamUrl = ctx.streamUrlRewrite().apply(session.streamUrl());
        this.token = session.tokenValue();
        this.events = Objects.requireNonNull(events, "events");
    }

    public String sessionId() {
        return sessionId;
    }

    /** Who hears of reconnect progress (one; replaces the previous). */
    public void observe(Observer o) {
        this.observer = Objects.requireNonNull(o, "observer");
    }

    /** Whether the channel is down and being re-established right now. */
    public boolean isReconnecting() {
        synchronized (lock) {
            return reconnecting && !closed;
        }
    }

    /** How many times the channel was re-established after a loss. */
    public int reconnects() {
        synchronized (lock) {
            return reconnects;
        }
    }

    /**
     * Opens the first connection, retrying connection-level failures with backoff until the
     * reconnect deadline (SPEC §7.2: the initial open uses the same loop with the original token).
     * The first attempt runs on the calling thread, later ones on the I/O executor while it waits.
     */
    public void connect() {
        CompletableFuture<Void> opened = open();
        try {
            opened.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            throw new SessionException(Reason.CLOSED, "interrupted while connecting");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    /** {@link #connect()} without the waiting: completes when the first connection is installed or the open gave up. */
    CompletableFuture<Void> open() {
        long budget = Math.min(ctx.reconnectDeadline().toNanos(), MAX_INITIAL_CONNECT_NANOS);
        FirstOpen first = new FirstOpen(budget, ctx.nanoTime().getAsLong() + budget);
        synchronized (lock) {
            if (!closed) {
                opening = first.done;
            }
        }
        first.attempt();
        return first.done;
    }

    /** The first open's attempts: one per run, so a close() stops it between attempts. */
    private final class FirstOpen {
        private final long budget;
        private final long deadline;
        private final CompletableFuture<Void> done = new CompletableFuture<>();
        private long backoff = INITIAL_BACKOFF_MILLIS;

        FirstOpen(long budget, long deadline) {
            this.budget = budget;
            this.deadline = deadline;
        }

        void attempt() {
            IOException last;
            try {
                String t;
                synchronized (lock) {
                    if (closed) {
                        throw closedWhileConnecting();
                    }
                    t = token;
                }
                install(openConnection(t, deadline), false, 0, INITIAL_BACKOFF_MILLIS);
                done.complete(null);
                return;
            } catch (ProxyFailureException e) {
                // A proxy that is down, wants credentials or refuses the CONNECT will not change its mind.
                done.completeExceptionally(new SessionException(Reason.CONFIGURATION, "cannot open the data channel of session "
                        + sessionId + " to " + streamUrl.getHost() + ": " + e.getMessage() + ".", e));
                return;
            } catch (IOException e) {
                last = e;
                log.debug("Opening data channel of {} failed: {}", sessionId, e.getMessage());
            } catch (RuntimeException | Error e) {
                done.completeExceptionally(e);
                return;
            }
            // No attempt starts that would have less than MIN_ATTEMPT_MILLIS: it could not succeed.
            Optional<ReconnectPolicy.Next> next = policy.afterFailure(ctx.nanoTime().getAsLong(), deadline, backoff,
                    MIN_ATTEMPT_MILLIS);
            if (next.isEmpty()) {
                done.completeExceptionally(new SessionException(Reason.CONNECTION_LOST, "cannot open the data channel of session "
                        + sessionId + " within " + TimeUnit.NANOSECONDS.toSeconds(budget) + " s: " + last.getMessage()
                        + ". Check network access to " + streamUrl.getHost()
                        + " (in a private subnet: the ssmmessages VPC endpoint or a proxy).", last));
                return;
            }
            backoff = next.get().backoffAfterMillis();
            later(next.get().delayMillis(), this::attempt, () -> done.completeExceptionally(closedWhileConnecting()));
        }
    }

    private SessionException closedWhileConnecting() {
        return new SessionException(Reason.CLOSED, "session " + sessionId + " was closed while connecting");
    }

    /**
     * Runs {@code attempt} on the I/O executor after {@code delayMillis} of the scheduler's time; the wait can be
     * cancelled by {@link #close()}. {@code rejected} runs instead when an executor is shut down (the manager is
     * closing), or when this transport is closed already.
     */
    private void later(long delayMillis, Runnable attempt, Runnable rejected) {
        synchronized (lock) {
            if (!closed) {
                try {
                    pendingAttempt = ctx.scheduler().schedule(() -> {
                        try {
                            ctx.io().execute(attempt);
                        } catch (RejectedExecutionException e) {
                            rejected.run();
                        }
                    }, delayMillis, TimeUnit.MILLISECONDS);
                    return;
                } catch (RejectedExecutionException e) {
                    // falls through
                }
            }
        }
        rejected.run();
    }

    /**
     * Queues a frame on the current connection without blocking (callers hold their session lock); false while it
     * is down (the engine resends later). {@link #flush()} writes it.
     */
    public boolean send(byte[] frame) {
        DataChannelConnector.Link c;
        synchronized (lock) {
            c = current;
        }
        return c != null && c.enqueue(frame);
    }

    /** Writes the queued frames on the calling thread (with no session lock held). */
    public void flush() {
        DataChannelConnector.Link c;
        synchronized (lock) {
            c = current;
        }
        if (c != null) {
            c.flush();
        }
    }

    /**
     * One connection and the frames that arrived before it was installed: the agent may answer
     * OpenDataChannel (or resend after a reconnect) before {@link #install} ran; those frames are
     * held and delivered right after, in order, instead of being dropped and resent.
     */
    private final class Conn implements WebSocketConnection.Listener {
        private final java.util.List<byte[]> early = new java.util.ArrayList<>();
        private DataChannelConnector.Link connection;
        private boolean active;

        @Override
        public void onFrame(byte[] frame) {
            synchronized (this) {
                if (!active) {
                    early.add(frame);
                    return;
                }
                deliver(frame);
            }
        }

        /** Under this monitor, so held frames and new ones keep their order. */
        private void deliver(byte[] frame) {
            synchronized (lock) {
                if (connection == null || connection != current) {
                    return;  // a late frame from a replaced connection
                }
                frameSinceInstall = true;
            }
            events.onFrame(frame);
        }

        synchronized void activate(DataChannelConnector.Link c) {
            connection = c;
            active = true;
            for (byte[] f : early) {
                deliver(f);
            }
            early.clear();
        }

        @Override
        public void onClosed(String reason) {
            DataChannelConnector.Link c;
            synchronized (this) {
                c = connection;
            }
            if (c != null) {
                connectionLost(c, reason);
            }
        }
    }

    /** One attempt, its timeouts cut to what is left before {@code deadline}: it never outlives it. */
    private Conn openConnection(String withToken, long deadline) throws IOException {
        Conn conn = new Conn();
        long left = TimeUnit.NANOSECONDS.toMillis(deadline - ctx.nanoTime().getAsLong());
        int timeout = (int) Math.max(1, Math.min(ctx.connection().connectTimeoutMillis(), left));
        conn.connection = connector.open(streamUrl, withToken, timeout, conn);
        return conn;
    }

    private void install(Conn conn, boolean reconnect, long deadline, long backoff) {
        DataChannelConnector.Link c = conn.connection;
        long down = 0;
        synchronized (lock) {
            if (closed) {
                c.close();
                throw new SessionException(Reason.CLOSED, "session " + sessionId + " was closed while connecting");
            }
            current = c;
            opening = null;
            installedAt = ctx.nanoTime().getAsLong();
            frameSinceInstall = false;
            reconnectDeadlineAt = deadline;
            nextBackoff = backoff;
            reconnecting = false;
            if (reconnect) {
                reconnects++;
                down = installedAt - downSince;
            }
            if (pings == null) {
                long every = ctx.pingInterval().toMillis();
                pings = ctx.scheduler().scheduleAtFixedRate(this::ping, every, every, TimeUnit.MILLISECONDS);
            }
        }
        events.onUp(reconnect);
        if (reconnect) {
            observer.reconnected(down);
        }
        conn.activate(c);
        if (!c.isOpen()) {
            connectionLost(c, "closed right after opening");
        }
    }

    private void ping() {
        DataChannelConnector.Link c;
        synchronized (lock) {
            c = current;
        }
        if (c != null) {
            // A write may block on a full socket: never on the scheduler every session shares.
            ctx.io().execute(c::ping);
        }
    }

    private void connectionLost(DataChannelConnector.Link c, String reason) {
        long now = ctx.nanoTime().getAsLong();
        long deadline;
        long backoff;
        boolean continuing;
        synchronized (lock) {
            if (closed || c != current || reconnecting) {
                return;
            }
            current = null;
            reconnecting = true;
            downSince = now;
            attempts = 0;
            boolean proven = frameSinceInstall || now - installedAt >= PROVEN_AFTER_NANOS;
            continuing = reconnectDeadlineAt != 0 && !proven;
            if (continuing) {
                deadline = reconnectDeadlineAt;
                backoff = nextBackoff;
            } else {
                deadline = now + ctx.reconnectDeadline().toNanos();
                backoff = INITIAL_BACKOFF_MILLIS;
            }
        }
        c.close();
        log.info("Data channel of session {} lost ({}); reconnecting", sessionId, reason);
        events.onDown(reason);
        if (!continuing) {
            ctx.io().execute(() -> reconnectLoop(deadline, backoff, reason));
            return;
        }
        // The previous reconnect did not give a working channel: wait as after a failed attempt.
        Optional<ReconnectPolicy.Next> next = policy.afterFailure(now, deadline, backoff, 0);
        if (next.isEmpty()) {
            fail(new SessionException(Reason.CONNECTION_LOST, "lost the data channel of session " + sessionId
                    + " and could not re-establish a working one within " + ctx.reconnectDeadline().toSeconds()
                    + " s: each new connection was closed right away; last: " + reason));
            return;
        }
        long after = next.get().backoffAfterMillis();
        later(next.get().delayMillis(), () -> reconnectLoop(deadline, after, reason), () -> { });
    }

    /** One attempt per run on the I/O executor, so a closed session stops between attempts. */
    private void reconnectLoop(long deadline, long backoff, String lastError) {
        int attempt;
        synchronized (lock) {
            if (closed) {
                return;
            }
            attempt = ++attempts;
        }
        observer.reconnecting(attempt, deadline, lastError);
        String error;
        try {
            Optional<String> newToken = connector.resume(sessionId);
            if (newToken.isEmpty()) {
                fail(new SessionException(Reason.SESSION_TIMED_OUT, "Session " + sessionId
                        + " timed out: ResumeSession returned no token, the service has ended it."));
                return;
            }
            synchronized (lock) {
                token = newToken.get();
            }
            install(openConnection(newToken.get(), deadline), true, deadline, Math.min(backoff * 2, MAX_BACKOFF_MILLIS));
            log.info("Data channel of session {} re-established", sessionId);
            return;
        } catch (SessionException e) {
            if (e.reason() == Reason.SESSION_NOT_FOUND || e.reason() == Reason.ACCESS_DENIED || e.reason() == Reason.CLOSED) {
                fail(new SessionException(e.reason(), "cannot resume session " + sessionId + ": " + e.getMessage(), e));
                return;
            }
            error = e.getMessage();
        } catch (IOException | RuntimeException e) {
            error = e.getMessage();
        }
        log.debug("Reconnect attempt for {} failed: {}", sessionId, error);
        Optional<ReconnectPolicy.Next> next = policy.afterFailure(ctx.nanoTime().getAsLong(), deadline, backoff, 0);
        if (next.isEmpty()) {
            fail(new SessionException(Reason.CONNECTION_LOST, "lost the data channel of session " + sessionId
                    + " and could not re-establish it within " + ctx.reconnectDeadline().toSeconds() + " s; last error: "
                    + error));
            return;
        }
        long after = next.get().backoffAfterMillis();
        String err = error;
        later(next.get().delayMillis(), () -> reconnectLoop(deadline, after, err), () -> { });
    }

    private void fail(SessionException e) {
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            if (pings != null) {
                pings.cancel(false);
            }
            if (pendingAttempt != null) {
                pendingAttempt.cancel(false);
            }
        }
        // Before the session fails: its end may close the manager, and with it the executor listeners run on.
        observer.gaveUp(e);
        events.onFailed(e);
    }

    /** Closes the WebSocket; no further events. Does not call TerminateSession (the owner decides). */
    @Override
    public void close() {
        DataChannelConnector.Link c;
        CompletableFuture<Void> waiting;
        synchronized (lock) {
            closed = true;
            c = current;
            current = null;
            waiting = opening;
            opening = null;
            if (pings != null) {
                pings.cancel(false);
            }
            if (pendingAttempt != null) {
                pendingAttempt.cancel(false);
            }
        }
        if (c != null) {
            c.close();
        }
        if (waiting != null) {
            waiting.completeExceptionally(closedWhileConnecting());
        }
    }
}
