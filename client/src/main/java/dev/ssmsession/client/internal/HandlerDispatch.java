package dev.ssmsession.client.internal;

import dev.ssmsession.client.SessionEnd;
import dev.ssmsession.client.SessionException;
import dev.ssmsession.client.SessionException.Reason;
import dev.ssmsession.client.SessionInfo;
import dev.ssmsession.protocol.channel.DataChannel;
import dev.ssmsession.protocol.channel.Delivery;
import dev.ssmsession.protocol.message.PayloadType;
import dev.ssmsession.protocol.payload.PayloadFormatException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.OptionalLong;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Routes the payloads the engine delivers, in order: handshake payloads to the
 * {@link HandshakeDriver}, the rest to the session kind's {@link SessionHandler}. Holds payloads
 * back ({@link Delivery#NOT_READY}) until the type is known and a handler is installed and
 * started, so nothing the agent sends early is lost. Not thread-safe: the session lock guards it.
 */
final class HandlerDispatch {
    private static final Logger log = LoggerFactory.getLogger(HandlerDispatch.class);

    private final String sessionId;
    private final DataChannel engine;
    private final SessionLock lock;
    private final SessionLifecycle life;
    private final HandshakeDriver handshake;

    /** Written under the session lock; volatile so that close() and toString() may read it without. */
    private volatile SessionInfo known;
    private Function<SessionInfo, SessionHandler> factory;
    /** The bound kind, started or not: its streams must end with the session even if it never starts. */
    private SessionHandler bound;
    private SessionHandler handler;

    HandlerDispatch(String sessionId, DataChannel engine, SessionLock lock, SessionLifecycle life,
                    HandshakeDriver handshake) {
        this.sessionId = sessionId;
        this.engine = engine;
        this.lock = lock;
        this.life = life;
        this.handshake = handshake;
    }

    /** The session type, or null while the handshake runs. */
    SessionInfo known() {
        return known;
    }

    /** Whether a handler is installed and started (sending is allowed from then on). */
    boolean started() {
        return handler != null;
    }

    /**
     * Binds the session kind; it starts once the type is known ({@link #startIfKnown()}) and
     * {@code check} accepts it.
     *
     * @throws IllegalStateException if a kind is bound already
     */
    void bind(SessionHandler h, Consumer<SessionInfo> check) {
        if (factory != null) {
            throw new IllegalStateException("session " + sessionId + " is already being used as another kind");
        }
        bound = h;
        factory = info -> {
            check.accept(info);
            return h;
        };
    }

    void startIfKnown() {
        if (known != null) {
            start();
        }
    }

    Delivery deliver(PayloadType type, byte[] payload) {
        if (life.isFinished()) {
            return Delivery.NOT_READY;
        }
        if (HandshakeDriver.isHandshake(type)) {
            handshake.onPayload(type, payload).ifPresent(this::typeKnown);
            return Delivery.ACCEPTED;
        }
        if (known == null) {
            if (!handshake.requestSeen() && type == PayloadType.OUTPUT) {
                // SPEC §4.1: a plain shell without KMS skips the handshake; its first message is output.
                typeKnown(HandshakeDriver.Outcome.withoutHandshake());
            } else {
                return Delivery.NOT_READY;
            }
        }
        if (handler == null) {
            return Delivery.NOT_READY;
        }
        if (type == PayloadType.EXIT_CODE) {
            life.exitCode(payload);
        }
        return handler.onPayload(type, payload);
    }

    void writable() {
        if (handler != null) {
            handler.onWritable();
        }
    }

    OptionalLong nextDeadlineNanos() {
        return handler == null ? OptionalLong.empty() : handler.nextDeadlineNanos();
    }

    void tick() {
        if (handler != null) {
            handler.tick();
        }
    }

    /**
     * The session ended: tells the bound handler, which must not take the session down with it.
     * A handler that never started (its check refused the session type, or the session ended during
     * the handshake) hears it too, or readers of its streams would wait forever.
     */
    void end(SessionEnd end, SessionException failure) {
        if (bound != null) {
            try {
                bound.onEnd(end, failure);
            } catch (RuntimeException e) {
                log.warn("Session {} handler failed while ending", sessionId, e);
            }
        }
    }

    private void typeKnown(HandshakeDriver.Outcome o) {
        try {
            known = SessionInfos.describe(sessionId, o.type(), o.agentVersion(), o.properties(), o.encrypted(),
                    o.customerMessage());
        } catch (PayloadFormatException e) {
            life.fail(new SessionException(Reason.PROTOCOL, "Port session " + sessionId + " has unusable properties: "
                    + e.getMessage(), e));
            return;
        }
        life.typeKnown(known);
        log.debug("Session {} is {} ({}), agent {}", sessionId, o.type().wire(), known.mode(), o.agentVersion());
        if (factory != null) {
            start();
        }
    }

    private void start() {
        SessionHandler h;
        try {
            h = factory.apply(known);
        } catch (SessionException e) {
            life.fail(e);
            return;
        }
        handler = h;
        h.onStart();
        lock.signalAll();
        engine.retryDelivery();
    }
}
