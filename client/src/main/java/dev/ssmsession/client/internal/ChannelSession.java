package dev.ssmsession.client.internal;

import dev.ssmsession.client.SessionEnd;
import dev.ssmsession.client.SessionException;
import dev.ssmsession.client.SessionException.Reason;
import dev.ssmsession.client.SessionInfo;
import dev.ssmsession.client.SessionToken;
import dev.ssmsession.protocol.channel.ChannelClock;
import dev.ssmsession.protocol.channel.ChannelRole;
import dev.ssmsession.protocol.channel.DataChannel;
import dev.ssmsession.protocol.channel.DataChannelConfig;
import dev.ssmsession.protocol.channel.DataChannelListener;
import dev.ssmsession.protocol.channel.DataChannelStats;
import dev.ssmsession.protocol.channel.Delivery;
import dev.ssmsession.protocol.crypto.DataKeyProvider;
import dev.ssmsession.protocol.crypto.PayloadDecryptionException;
import dev.ssmsession.protocol.handshake.ClientHandshake;
import dev.ssmsession.protocol.handshake.Versions;
import dev.ssmsession.protocol.message.MalformedMessageException;
import dev.ssmsession.protocol.message.PayloadType;
import dev.ssmsession.protocol.payload.ChannelClosed;
import dev.ssmsession.protocol.payload.Flag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * One session: the data-channel engine and its transport, under one {@link SessionLock}. I/O never
 * happens under the lock: frames go to the WebSocket's own writer queue and are written by the thread
 * that releases the lock (OkHttp's RealWebSocket discipline); futures complete and AWS calls run on the
 * manager's I/O executor, never on a WebSocket reader or scheduler thread.
 *
 * <p>This class wires the pieces and is what {@code Session} and the session kinds call:
 * {@link HandshakeDriver} answers the handshake, {@link HandlerDispatch} delivers payloads to the
 * installed {@link SessionHandler}, {@link SessionTicks} keeps time, {@link SessionLifecycle} ends
 * the session exactly once.
 */
public final class ChannelSession implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ChannelSession.class);

    private final TransportContext ctx;
    private final SessionToken token;
    private final SessionLock lock;
    private final DataChannel engine;
    private final DataChannelTransport transport;
    private final SessionLifecycle life;
    private final HandlerDispatch dispatch;
    private final SessionTicks ticks;

    private ChannelSession(TransportContext ctx, SessionToken token, String targetId, DataKeyProvider keys,
                           DataChannelConfig config) {
        this.ctx = ctx;
        this.token = token;
        this.lock = new SessionLock(token.sessionId());
        this.engine = DataChannel.create(config, ChannelRole.CLIENT, clock(ctx), new MessageIds(), new EngineEvents());
        this.transport = new DataChannelTransport(ctx, token, new TransportEvents());
        this.life = new SessionLifecycle(token.sessionId(), lock, transport, ctx.ssm(), ctx.io(), this::onFinished);
        ClientHandshake.Builder hb = ClientHandshake.builder().sessionId(token.sessionId())
                .targetId(targetId == null ? "" : targetId).clientVersion(ctx.clientVersion());
        if (keys != null && targetId != null) {
            hb.dataKeyProvider(keys);
        }
        HandshakeDriver handshake = new HandshakeDriver(this, hb.build(), ctx.io(), engine, life);
        this.dispatch = new HandlerDispatch(token.sessionId(), engine, lock, life, handshake);
        this.ticks = new SessionTicks(ctx, this, engine, dispatch, life);
        lock.flusher(this::flush);
    }

    /**
     * Writes what the engine queued, on the thread that released the lock: a keystroke or an ack goes out with no
     * hand-off. The scheduler's threads never block on a socket, so their writes go to the I/O executor.
     */
    private void flush() {
        if (ManagerThreads.isScheduler()) {
            flushInBackground();
        } else {
            transport.flush();
        }
    }

    private void flushInBackground() {
        try {
            ctx.io().execute(transport::flush);
        } catch (java.util.concurrent.RejectedExecutionException closing) {
            // the manager is closing: the socket closes too, and the engine's state no longer matters
        }
    }

    private static ChannelClock clock(TransportContext ctx) {
        return new ChannelClock() {
            @Override
            public long nanoTime() {
                return ctx.nanoTime().getAsLong();
            }

            @Override
            public long epochMillis() {
                return System.currentTimeMillis();
            }
        };
    }

    /**
     * A session that is not connected yet: the owner registers it (so that it can be closed
     * while connecting), then calls {@link #connect()}.
     *
     * @param targetId the StartSession target (KMS encryption context, SPEC §5.1); null disables KMS
     * @param keys     where KMS data keys come from; null refuses encryption (SPEC §4.3)
     */
    public static ChannelSession create(TransportContext ctx, SessionToken token, String targetId, DataKeyProvider keys,
                                        DataChannelConfig config) {
        return new ChannelSession(ctx, token, targetId, keys, config);
    }

    /**
     * Connects the data channel. Returns once OpenDataChannel is sent; the handshake follows
     * asynchronously ({@link #info()}). A session closed meanwhile fails with reason CLOSED.
     */
    public void connect() {
        try {
            transport.connect();
        } catch (RuntimeException e) {
            transport.close();
            throw e;
        }
    }

    public String sessionId() {
        return token.sessionId();
    }

    /** Completes when the session type is known (after HandshakeComplete, or the first shell output). */
    public CompletableFuture<SessionInfo> info() {
        return life.info();
    }

    /** Completes when the session ends: normally on a clean end, exceptionally with a {@link SessionException}. */
    public CompletableFuture<SessionEnd> ended() {
        return life.ended();
    }

    /** Where this session's futures complete and its listeners are called: one at a time, in order, off internal threads. */
    public java.util.concurrent.Executor callbacks() {
        return life.callbacks();
    }

    /** The session's monotonic clock (the manager's ticker; virtual in tests). */
    public long nanoTime() {
        return ctx.nanoTime().getAsLong();
    }

    public DataChannelTransport transport() {
        return transport;
    }

    /** A snapshot of the engine's counters (messages sent and resent, RTT, pacing rate…). */
    public DataChannelStats stats() {
        return locked(engine::stats);
    }

    /**
     * Installs the session kind. {@code check} runs (under the lock) once the session type is
     * known, immediately if it already is, and throws a {@link SessionException} if the kind does
     * not fit; then the handler starts. A session that already ended ends the handler at once, so
     * its streams report the end instead of blocking.
     */
    public void install(SessionHandler h, Consumer<SessionInfo> check) {
        Objects.requireNonNull(h, "handler");
        Objects.requireNonNull(check, "check");
        locked(() -> {
            dispatch.bind(h, check);
            if (life.isFinished()) {
                h.onEnd(life.endRecord(), life.failure());
                return;
            }
            dispatch.startIfKnown();
        });
    }

    // ---- calls for handlers (any thread) ----

    /** Runs {@code r} under the session lock, then whatever it scheduled to run after unlocking. */
    public void locked(Runnable r) {
        locked(() -> {
            r.run();
            return null;
        });
    }

    public <T> T locked(Supplier<T> s) {
        lock.lock();
        try {
            T t = s.get();
            ticks.rearm();
            return t;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Sends Output bytes, blocking while the window is full (backpressure, nothing dropped) and
     * until the handshake finished (the HandshakeResponse must be the client's sequence 0).
     *
     * @throws IOException if the session ended before all bytes were accepted
     */
    public void write(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        lock.lock();
        try {
            while (len > 0) {
                if (life.isFinished()) {
                    SessionException failure = life.failure();
                    throw new IOException("session " + sessionId() + " has ended"
                            + (failure != null ? ": " + failure.getMessage() : ""));
                }
                if (!dispatch.started()) {
                    lock.await();
                    continue;
                }
                int n = engine.offerOutput(b, off, len);
                off += n;
                len -= n;
                ticks.rearm();
                if (len > 0 && n == 0) {
                    lock.await();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while sending to session " + sessionId());
        } finally {
            lock.unlock();
        }
    }

    /** One attempt of a blocking operation under the session lock; true when done. */
    @FunctionalInterface
    public interface Step {
        boolean attempt() throws IOException;
    }

    /**
     * Under the lock, repeats {@code step} until it returns true, waiting for a state change
     * (room, data, start, end) between attempts. The step throws to give up.
     */
    public void awaitLocked(Step step) throws IOException {
        lock.lock();
        try {
            while (true) {
                boolean done = step.attempt();
                ticks.rearm();
                if (done) {
                    return;
                }
                lock.await();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting on session " + sessionId());
        } finally {
            lock.unlock();
        }
    }

    /** The failure that ended the session, if any (hold the lock). */
    public SessionException failure() {
        return life.failure();
    }

    /** Offers Output bytes without blocking (under the lock); returns how many were taken. */
    public int offer(byte[] b, int off, int len) {
        if (life.isFinished() || !engine.isOpen()) {
            return 0;
        }
        return engine.offerOutput(b, off, len);
    }

    /** Sends a control payload (Size, Flag…) as its own message; must hold the lock. */
    public void sendMessage(PayloadType type, byte[] payload) {
        if (!life.isFinished() && engine.isOpen()) {
            engine.sendMessage(type, payload);
        }
    }

    /** Lets messages held back by {@link Delivery#NOT_READY} through again; must hold the lock. */
    public void retryDelivery() {
        if (!life.isFinished() && engine.isOpen()) {
            engine.retryDelivery();
        }
    }

    public boolean isFinished() {
        return life.isFinished();
    }

    /** Waits on the session's condition (must hold the lock); woken by any state change. */
    public void await() throws InterruptedException {
        lock.await();
    }

    public void signalChange() {
        lock.signalAll();
    }

    /** Ends the session because a handler failed; must hold the lock. */
    public void fail(SessionException e) {
        life.fail(e);
    }

    // ---- lifecycle ----

    /**
     * Ends the session from this side: optionally the TerminateSession flag (port sessions, SPEC
     * §7.3), then the TerminateSession API, then the WebSocket closes. Idempotent.
     */
    public void terminate(boolean sendTerminateFlag) {
        boolean call = locked(() -> {
            if (life.isFinished()) {
                return false;
            }
            SessionInfo known = dispatch.known();
            if (sendTerminateFlag && known != null
                    && (known.agentVersion().isEmpty() || Versions.agentSupportsTerminateSessionFlag(known.agentVersion()))) {
                engine.sendMessage(PayloadType.FLAG, Flag.TERMINATE_SESSION.encode());
            }
            // Closing must not wait on a socket the peer stopped reading: what is queued goes out from the I/O
            // pool, and the close that follows unblocks that write if it is stuck.
            if (lock.takeOutputQueued()) {
                flushInBackground();
            }
            return life.beginClosing();
        });
        if (call) {
            life.terminateSession();
            locked(life::closedByClient);
        }
    }

    /**
     * Ends the session here without waiting for a {@link #terminate} still blocked in the
     * TerminateSession call: its caller gave up on the service. Idempotent.
     */
    public void abandon() {
        locked(() -> {
            if (life.beginClosing()) {
                life.closedByClient();
            }
        });
    }

    @Override
    public void close() {
        SessionInfo known = dispatch.known();
        terminate(known != null && known.mode() != SessionInfo.Mode.SHELL);
    }

    /** Under the lock, as the session ends: nothing may tick or reach the session kind after this. */
    private void onFinished(SessionEnd end, SessionException failure) {
        ticks.cancel();
        dispatch.end(end, failure);
    }

    /** The engine's callbacks, all under the lock (it only calls back from inside a session call). */
    private final class EngineEvents implements DataChannelListener {
        @Override
        public void writeFrame(byte[] frame) {
            // Non-blocking: queued, then written once the lock is released (SessionLock's flusher). A frame
            // lost to a dying socket is resent by the engine (data) or re-acked on the duplicate (acks).
            if (transport.send(frame)) {
                lock.outputQueued();
            }
        }

        @Override
        public Delivery onPayload(PayloadType type, long rawType, byte[] payload) {
            return dispatch.deliver(type, payload);
        }

        @Override
        public void onChannelClosed(ChannelClosed closed) {
            life.channelClosed(closed);
        }

        @Override
        public void onGiveUp(String reason) {
            life.gaveUp(reason);
        }

        @Override
        public void onDecryptionFailure(PayloadType type, long sequenceNumber, PayloadDecryptionException cause) {
            life.fail(new SessionException(Reason.PROTOCOL, "session " + sessionId() + ": " + type
                    + " payload #" + sequenceNumber + " failed to decrypt", cause));
        }

        @Override
        public void onWritable() {
            lock.signalAll();
            dispatch.writable();
        }

        @Override
        public void onPacingFallback(String reason) {
            // Once per channel (the engine says so once): the service's answer to a probe is worth knowing.
            log.info("Session {}: adaptive pacing falls back to a fixed {} messages/s: {}", sessionId(),
                    engine.config().messagesPerSecond(), reason);
        }

        @Override
        public void onInvalidFrame(MalformedMessageException problem) {
            log.debug("Session {}: dropped an invalid frame: {}", sessionId(), problem.getMessage());
        }
    }

    /** The transport's events, from its reader or reconnect thread: each takes the lock. */
    private final class TransportEvents implements DataChannelTransport.Events {
        @Override
        public void onFrame(byte[] frame) {
            locked(() -> {
                if (!life.isFinished()) {
                    engine.onFrame(frame);
                }
            });
        }

        @Override
        public void onUp(boolean reconnect) {
            if (reconnect) {
                locked(() -> {
                    if (!life.isFinished() && engine.isOpen()) {
                        engine.transportUp();  // resends every un-acked message, once, paced
                        lock.signalAll();
                    }
                });
            }
        }

        @Override
        public void onDown(String reason) {
            locked(() -> {
                if (!life.isFinished() && engine.isOpen()) {
                    engine.transportDown();
                }
            });
        }

        @Override
        public void onFailed(SessionException e) {
            locked(() -> life.fail(e));
        }
    }

    @Override
    public String toString() {
        SessionInfo known = dispatch.known();
        return "ChannelSession[" + sessionId() + ", " + (known == null ? "handshaking" : known.mode()) + "]";
    }
}
