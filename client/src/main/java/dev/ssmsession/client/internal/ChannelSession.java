package dev.ssmsession.client.internal;

import com.fasterxml.jackson.databind.JsonNode;
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
import dev.ssmsession.protocol.channel.Delivery;
import dev.ssmsession.protocol.crypto.DataKeyProvider;
import dev.ssmsession.protocol.crypto.PayloadDecryptionException;
import dev.ssmsession.protocol.handshake.ClientHandshake;
import dev.ssmsession.protocol.handshake.ClientHandshakeResult;
import dev.ssmsession.protocol.handshake.HandshakeException;
import dev.ssmsession.protocol.handshake.Versions;
import dev.ssmsession.protocol.message.MalformedMessageException;
import dev.ssmsession.protocol.message.PayloadType;
import dev.ssmsession.protocol.payload.ChannelClosed;
import dev.ssmsession.protocol.payload.ExitCode;
import dev.ssmsession.protocol.payload.Flag;
import dev.ssmsession.protocol.payload.HandshakeComplete;
import dev.ssmsession.protocol.payload.PayloadFormatException;
import dev.ssmsession.protocol.payload.SessionType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * One session: the data-channel engine, its transport, the handshake and the installed session
 * kind, under one lock. I/O never happens under the lock: frames go to the WebSocket's own
 * writer queue, futures complete and AWS calls run after the lock is released (OkHttp's
 * RealWebSocket discipline).
 */
public final class ChannelSession implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ChannelSession.class);

    private final TransportContext ctx;
    private final SessionToken token;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final List<Runnable> afterUnlock = new ArrayList<>();
    private final DataChannel engine;
    private final DataChannelTransport transport;
    private final ClientHandshake handshake;
    private final CompletableFuture<SessionInfo> info = new CompletableFuture<>();
    private final CompletableFuture<SessionEnd> ended = new CompletableFuture<>();

    private boolean handshakeSeen;
    private SessionInfo known;
    private Function<SessionInfo, SessionHandler> handlerFactory;
    private SessionHandler handler;
    private boolean finished;
    private SessionEnd endRecord;
    private boolean closing;
    private SessionException failure;
    private OptionalInt exitCode = OptionalInt.empty();
    private final TickTimer timer;

    private ChannelSession(TransportContext ctx, SessionToken token, String targetId, DataKeyProvider keys,
                           DataChannelConfig config) {
        this.ctx = ctx;
        this.token = token;
        ChannelClock clock = new ChannelClock() {
            @Override
            public long nanoTime() {
                return ctx.nanoTime().getAsLong();
            }

            @Override
            public long epochMillis() {
                return System.currentTimeMillis();
            }
        };
        this.engine = DataChannel.create(config, ChannelRole.CLIENT, clock, UUID::randomUUID, new EngineEvents());
        ClientHandshake.Builder hb = ClientHandshake.builder().sessionId(token.sessionId())
                .targetId(targetId == null ? "" : targetId).clientVersion(ctx.clientVersion());
        if (keys != null && targetId != null) {
            hb.dataKeyProvider(keys);
        }
        this.handshake = hb.build();
        this.transport = new DataChannelTransport(ctx, token, new TransportEvents());
        this.timer = new TickTimer(ctx.scheduler(), ctx.nanoTime(), this::onTick);
    }

    /**
     * Connects the data channel. Returns once OpenDataChannel is sent; the handshake follows
     * asynchronously ({@link #info()}).
     *
     * @param targetId the StartSession target (KMS encryption context, SPEC §5.1); null disables KMS
     * @param keys     where KMS data keys come from; null refuses encryption (SPEC §4.3)
     */
    public static ChannelSession open(TransportContext ctx, SessionToken token, String targetId, DataKeyProvider keys,
                                      DataChannelConfig config) {
        ChannelSession s = new ChannelSession(ctx, token, targetId, keys, config);
        try {
            s.transport.connect();
        } catch (RuntimeException e) {
            s.transport.close();
            throw e;
        }
        return s;
    }

    public String sessionId() {
        return token.sessionId();
    }

    /** Completes when the session type is known (after HandshakeComplete, or the first shell output). */
    public CompletableFuture<SessionInfo> info() {
        return info;
    }

    /** Completes when the session ends: normally on a clean end, exceptionally with a {@link SessionException}. */
    public CompletableFuture<SessionEnd> ended() {
        return ended;
    }

    /** The session's monotonic clock (the manager's ticker; virtual in tests). */
    public long nanoTime() {
        return ctx.nanoTime().getAsLong();
    }

    public DataChannelTransport transport() {
        return transport;
    }

    /**
     * Installs the session kind. {@code check} runs (under the lock) once the session type is
     * known, immediately if it already is, and throws a {@link SessionException} if the kind does
     * not fit; then the handler starts. A session that already ended ends the handler at once, so
     * its streams report the end instead of blocking.
     */
    public void install(SessionHandler h, java.util.function.Consumer<SessionInfo> check) {
        Objects.requireNonNull(h, "handler");
        Objects.requireNonNull(check, "check");
        locked(() -> {
            if (handlerFactory != null) {
                throw new IllegalStateException("session " + sessionId() + " is already being used as another kind");
            }
            handlerFactory = info -> {
                check.accept(info);
                return h;
            };
            if (finished) {
                h.onEnd(endRecord, failure);
                return;
            }
            if (known != null) {
                startHandler();
            }
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
            afterEngineCall();
            return t;
        } finally {
            unlock();
        }
    }

    /** Runs {@code r} after the lock is released (completing futures, blocking calls). */
    public void afterUnlock(Runnable r) {
        afterUnlock.add(r);
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
                if (finished) {
                    throw new IOException("session " + sessionId() + " has ended"
                            + (failure != null ? ": " + failure.getMessage() : ""));
                }
                if (handler == null) {
                    changed.await();
                    continue;
                }
                int n = engine.offerOutput(b, off, len);
                off += n;
                len -= n;
                afterEngineCall();
                if (len > 0 && n == 0) {
                    changed.await();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while sending to session " + sessionId());
        } finally {
            unlock();
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
                afterEngineCall();
                if (done) {
                    return;
                }
                changed.await();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting on session " + sessionId());
        } finally {
            unlock();
        }
    }

    /** The failure that ended the session, if any (hold the lock). */
    public SessionException failure() {
        return failure;
    }

    /** Offers Output bytes without blocking (under the lock); returns how many were taken. */
    public int offer(byte[] b, int off, int len) {
        if (finished || !engine.isOpen()) {
            return 0;
        }
        return engine.offerOutput(b, off, len);
    }

    /** Sends a control payload (Size, Flag…) as its own message; must hold the lock. */
    public void sendMessage(PayloadType type, byte[] payload) {
        if (!finished && engine.isOpen()) {
            engine.sendMessage(type, payload);
        }
    }

    /** Lets messages held back by {@link Delivery#NOT_READY} through again; must hold the lock. */
    public void retryDelivery() {
        if (!finished && engine.isOpen()) {
            engine.retryDelivery();
        }
    }

    public boolean isFinished() {
        return finished;
    }

    /** Waits on the session's condition (must hold the lock); woken by any state change. */
    public void await() throws InterruptedException {
        changed.await();
    }

    public void signalChange() {
        changed.signalAll();
    }

    /** Ends the session because a handler failed; must hold the lock. */
    public void fail(SessionException e) {
        finish(null, e);
    }

    // ---- lifecycle ----

    /**
     * Ends the session from this side: optionally the TerminateSession flag (port sessions, SPEC
     * §7.3), then the TerminateSession API, then the WebSocket closes. Idempotent.
     */
    public void terminate(boolean sendTerminateFlag) {
        boolean[] call = new boolean[1];
        locked(() -> {
            if (finished) {
                return;
            }
            if (sendTerminateFlag && known != null
                    && (known.agentVersion().isEmpty() || Versions.agentSupportsTerminateSessionFlag(known.agentVersion()))) {
                engine.sendMessage(PayloadType.FLAG, Flag.TERMINATE_SESSION.encode());
            }
            closing = true;
            call[0] = true;
        });
        if (call[0]) {
            try {
                ctx.ssm().terminateSession(sessionId());
            } catch (SessionException e) {
                log.warn("TerminateSession for {} failed: {}", sessionId(), e.getMessage());
            }
            locked(() -> finish(new SessionEnd(sessionId(), exitCode, "Session " + sessionId() + " closed by this client.", true), null));
        }
    }

    @Override
    public void close() {
        terminate(known != null && known.mode() != SessionInfo.Mode.SHELL);
    }

    // ---- internals (lock held) ----

    private void unlock() {
        List<Runnable> run = null;
        if (lock.getHoldCount() == 1 && !afterUnlock.isEmpty()) {
            run = new ArrayList<>(afterUnlock);
            afterUnlock.clear();
        }
        lock.unlock();
        if (run != null) {
            for (Runnable r : run) {
                try {
                    r.run();
                } catch (RuntimeException e) {
                    log.warn("Session {} callback failed", sessionId(), e);
                }
            }
        }
    }

    private void afterEngineCall() {
        if (!finished) {
            timer.arm(engine.nextDeadlineNanos(), handler == null ? OptionalLong.empty() : handler.nextDeadlineNanos());
        }
    }

    private void onTick() {
        locked(() -> {
            timer.fired();
            if (finished) {
                return;
            }
            engine.tick();
            if (handler != null && !finished) {
                handler.tick();
            }
        });
    }

    private void startHandler() {
        SessionHandler h;
        try {
            h = handlerFactory.apply(known);
        } catch (SessionException e) {
            finish(null, e);
            return;
        }
        handler = h;
        h.onStart();
        changed.signalAll();
        engine.retryDelivery();
    }

    private void typeKnown(SessionType type, String agentVersion, JsonNode properties, boolean encrypted, String message) {
        try {
            known = SessionInfos.describe(sessionId(), type, agentVersion, properties, encrypted, message);
        } catch (PayloadFormatException e) {
            finish(null, new SessionException(Reason.PROTOCOL, "Port session " + sessionId() + " has unusable properties: "
                    + e.getMessage(), e));
            return;
        }
        SessionInfo k = known;
        afterUnlock(() -> info.complete(k));
        log.debug("Session {} is {} ({}), agent {}", sessionId(), type.wire(), k.mode(), agentVersion);
        if (handlerFactory != null) {
            startHandler();
        }
    }

    private SessionType pendingType;
    private String pendingAgentVersion = "";
    private JsonNode pendingProperties;
    private boolean pendingEncrypted;

    private void handshakeRequest(byte[] payload) {
        // KMS GenerateDataKey is a network call: never under the lock (SPEC §4.5 acked it already).
        ctx.io().execute(() -> {
            ClientHandshakeResult r;
            try {
                r = handshake.onHandshakeRequest(payload);
            } catch (HandshakeException e) {
                locked(() -> finish(null, new SessionException(Reason.PROTOCOL,
                        "bad HandshakeRequest in session " + sessionId() + ": " + e.getMessage(), e)));
                return;
            }
            locked(() -> {
                if (finished) {
                    return;
                }
                engine.sendMessage(PayloadType.HANDSHAKE_RESPONSE, r.responsePayload());
                r.cipher().ifPresent(engine::setCipher);
                pendingType = r.sessionType().orElse(null);
                pendingAgentVersion = r.agentVersion();
                pendingProperties = r.properties().orElse(null);
                pendingEncrypted = r.cipher().isPresent();
                if (!r.succeeded()) {
                    List<String> errors = r.response().errors() == null ? List.of() : r.response().errors();
                    boolean kms = errors.stream().anyMatch(s -> s.contains("KMS") || s.contains("kms"));
                    // The agent cancels the session on any failed action; say why here.
                    finish(null, new SessionException(kms ? Reason.KMS : Reason.PROTOCOL,
                            "handshake of session " + sessionId() + " failed: " + String.join("; ", errors)));
                }
            });
        });
    }

    private Delivery deliver(PayloadType type, long rawType, byte[] payload) {
        if (finished) {
            return Delivery.NOT_READY;
        }
        if (type == PayloadType.HANDSHAKE_REQUEST) {
            handshakeSeen = true;
            handshakeRequest(payload);
            return Delivery.ACCEPTED;
        }
        if (type == PayloadType.ENC_CHALLENGE_REQUEST) {
            try {
                engine.sendMessage(PayloadType.ENC_CHALLENGE_RESPONSE, handshake.onEncryptionChallenge(payload));
            } catch (HandshakeException e) {
                finish(null, new SessionException(Reason.PROTOCOL,
                        "encryption challenge of session " + sessionId() + " failed: " + e.getMessage(), e));
            }
            return Delivery.ACCEPTED;
        }
        if (type == PayloadType.HANDSHAKE_COMPLETE) {
            HandshakeComplete c;
            try {
                c = handshake.onHandshakeComplete(payload);
            } catch (HandshakeException e) {
                finish(null, new SessionException(Reason.PROTOCOL, "bad HandshakeComplete in session " + sessionId()
                        + ": " + e.getMessage(), e));
                return Delivery.ACCEPTED;
            }
            if (pendingType == null) {
                finish(null, new SessionException(Reason.PROTOCOL, "unable to determine the session type of "
                        + sessionId() + ": the handshake carried no SessionType action"));
                return Delivery.ACCEPTED;
            }
            typeKnown(pendingType, pendingAgentVersion, pendingProperties, pendingEncrypted,
                    c.customerMessage() == null ? "" : c.customerMessage());
            return Delivery.ACCEPTED;
        }
        if (known == null) {
            if (!handshakeSeen && type == PayloadType.OUTPUT) {
                // SPEC §4.1: a plain shell without KMS skips the handshake; its first message is output.
                typeKnown(SessionType.STANDARD_STREAM, "", null, false, "");
            } else {
                return Delivery.NOT_READY;
            }
        }
        if (handler == null) {
            return Delivery.NOT_READY;
        }
        if (type == PayloadType.EXIT_CODE) {
            try {
                exitCode = OptionalInt.of(ExitCode.parse(payload).code());
            } catch (PayloadFormatException e) {
                log.warn("Session {}: {}", sessionId(), e.getMessage());
            }
        }
        return handler.onPayload(type, payload);
    }

    private void finish(SessionEnd end, SessionException error) {
        if (finished) {
            return;
        }
        finished = true;
        failure = error;
        endRecord = end;
        timer.cancel();
        if (handler != null) {
            try {
                handler.onEnd(end, error);
            } catch (RuntimeException e) {
                log.warn("Session {} handler failed while ending", sessionId(), e);
            }
        }
        changed.signalAll();
        afterUnlock(() -> {
            transport.close();
            if (error != null) {
                info.completeExceptionally(error);
                ended.completeExceptionally(error);
            } else {
                info.completeExceptionally(new SessionException(Reason.CLOSED,
                        "session " + sessionId() + " ended before its type was known: " + end.message()));
                ended.complete(end);
            }
        });
        if (error != null) {
            log.debug("Session {} failed: {}", sessionId(), error.getMessage());
        }
    }

    private final class EngineEvents implements DataChannelListener {
        @Override
        public void writeFrame(byte[] frame) {
            // Non-blocking: Java-WebSocket queues it for its writer thread. A frame lost to a dying
            // socket is resent by the engine (data) or re-acked on the duplicate (acks).
            transport.send(frame);
        }

        @Override
        public Delivery onPayload(PayloadType type, long rawType, byte[] payload) {
            return deliver(type, rawType, payload);
        }

        @Override
        public void onChannelClosed(ChannelClosed closed) {
            String output = closed.output();
            String msg = output == null || output.isBlank()
                    ? "Exiting session with sessionId: " + sessionId() + "."
                    : "SessionId: " + sessionId() + " : " + output;
            finish(new SessionEnd(sessionId(), exitCode, msg, closing), null);
        }

        @Override
        public void onGiveUp(String reason) {
            // SPEC §6.3: the resend timeout ends the session through the API.
            afterUnlock(() -> {
                try {
                    ctx.ssm().terminateSession(sessionId());
                } catch (SessionException e) {
                    log.debug("TerminateSession after give-up failed: {}", e.getMessage());
                }
            });
            finish(null, new SessionException(Reason.CONNECTION_LOST, "session " + sessionId()
                    + " stopped making progress: " + reason));
        }

        @Override
        public void onDecryptionFailure(PayloadType type, long sequenceNumber, PayloadDecryptionException cause) {
            finish(null, new SessionException(Reason.PROTOCOL, "session " + sessionId() + ": " + type
                    + " payload #" + sequenceNumber + " failed to decrypt", cause));
        }

        @Override
        public void onWritable() {
            changed.signalAll();
            if (handler != null) {
                handler.onWritable();
            }
        }

        @Override
        public void onInvalidFrame(MalformedMessageException problem) {
            log.debug("Session {}: dropped an invalid frame: {}", sessionId(), problem.getMessage());
        }
    }

    private final class TransportEvents implements DataChannelTransport.Events {
        @Override
        public void onFrame(byte[] frame) {
            locked(() -> {
                if (!finished) {
                    engine.onFrame(frame);
                }
            });
        }

        @Override
        public void onUp(boolean reconnect) {
            if (reconnect) {
                locked(() -> {
                    if (!finished && engine.isOpen()) {
                        engine.transportUp();
                        engine.retransmitUnacked();
                        changed.signalAll();
                    }
                });
            }
        }

        @Override
        public void onDown(String reason) {
            locked(() -> {
                if (!finished && engine.isOpen()) {
                    engine.transportDown();
                }
            });
        }

        @Override
        public void onFailed(SessionException e) {
            locked(() -> finish(null, e));
        }
    }

    @Override
    public String toString() {
        return "ChannelSession[" + sessionId() + ", " + (known == null ? "handshaking" : known.mode()) + "]";
    }
}
