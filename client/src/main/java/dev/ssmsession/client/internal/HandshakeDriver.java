package dev.ssmsession.client.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ssmsession.client.SessionException;
import dev.ssmsession.client.SessionException.Reason;
import dev.ssmsession.protocol.channel.DataChannel;
import dev.ssmsession.protocol.handshake.ClientHandshake;
import dev.ssmsession.protocol.handshake.ClientHandshakeResult;
import dev.ssmsession.protocol.handshake.HandshakeException;
import dev.ssmsession.protocol.message.PayloadType;
import dev.ssmsession.protocol.payload.HandshakeComplete;
import dev.ssmsession.protocol.payload.SessionType;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;

/**
 * Drives the client side of the handshake (SPEC §4) from the payloads the engine delivers:
 * answers HandshakeRequest (fetching the KMS data key off the lock), the encryption challenge, and
 * turns HandshakeComplete into the negotiated session type. A failed step fails the session with
 * a message naming it. Not thread-safe: the session lock guards it; only the KMS call runs outside.
 */
final class HandshakeDriver {
    /** What the handshake settled: enough to describe the session ({@link SessionInfos}). */
    record Outcome(SessionType type, String agentVersion, JsonNode properties, boolean encrypted, String customerMessage) {
        /** SPEC §4.1: a plain shell without KMS skips the handshake. */
        static Outcome withoutHandshake() {
            return new Outcome(SessionType.STANDARD_STREAM, "", null, false, "");
        }
    }

    private final ChannelSession session;
    private final ClientHandshake handshake;
    private final Executor io;
    private final DataChannel engine;
    private final SessionLifecycle life;

    private boolean requestSeen;
    private SessionType pendingType;
    private String pendingAgentVersion = "";
    private JsonNode pendingProperties;
    private boolean pendingEncrypted;

    HandshakeDriver(ChannelSession session, ClientHandshake handshake, Executor io, DataChannel engine,
                    SessionLifecycle life) {
        this.session = session;
        this.handshake = handshake;
        this.io = io;
        this.engine = engine;
        this.life = life;
    }

    static boolean isHandshake(PayloadType type) {
        return type == PayloadType.HANDSHAKE_REQUEST || type == PayloadType.ENC_CHALLENGE_REQUEST
                || type == PayloadType.HANDSHAKE_COMPLETE;
    }

    /** Whether the agent started a handshake; until then Output means a handshake-less shell. */
    boolean requestSeen() {
        return requestSeen;
    }

    /**
     * Handles one handshake payload ({@link #isHandshake}); always accepted.
     *
     * @return the outcome once HandshakeComplete arrived and the type is known
     */
    Optional<Outcome> onPayload(PayloadType type, byte[] payload) {
        switch (type) {
            case HANDSHAKE_REQUEST -> {
                requestSeen = true;
                request(payload);
            }
            case ENC_CHALLENGE_REQUEST -> challenge(payload);
            case HANDSHAKE_COMPLETE -> {
                return complete(payload);
            }
            default -> throw new IllegalArgumentException("not a handshake payload: " + type);
        }
        return Optional.empty();
    }

    private void request(byte[] payload) {
        // KMS GenerateDataKey is a network call: never under the lock (SPEC §4.5 acked it already).
        io.execute(() -> {
            ClientHandshakeResult r;
            try {
                r = handshake.onHandshakeRequest(payload);
            } catch (HandshakeException e) {
                session.locked(() -> life.fail(new SessionException(Reason.PROTOCOL,
                        "bad HandshakeRequest in session " + session.sessionId() + ": " + e.getMessage(), e)));
                return;
            }
            session.locked(() -> answer(r));
        });
    }

    private void answer(ClientHandshakeResult r) {
        if (life.isFinished()) {
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
            life.fail(new SessionException(kms ? Reason.KMS : Reason.PROTOCOL,
                    "handshake of session " + session.sessionId() + " failed: " + String.join("; ", errors)));
        }
    }

    private void challenge(byte[] payload) {
        try {
            engine.sendMessage(PayloadType.ENC_CHALLENGE_RESPONSE, handshake.onEncryptionChallenge(payload));
        } catch (HandshakeException e) {
            life.fail(new SessionException(Reason.PROTOCOL,
                    "encryption challenge of session " + session.sessionId() + " failed: " + e.getMessage(), e));
        }
    }

    private Optional<Outcome> complete(byte[] payload) {
        HandshakeComplete c;
        try {
            c = handshake.onHandshakeComplete(payload);
        } catch (HandshakeException e) {
            life.fail(new SessionException(Reason.PROTOCOL, "bad HandshakeComplete in session " + session.sessionId()
                    + ": " + e.getMessage(), e));
            return Optional.empty();
        }
        if (pendingType == null) {
            life.fail(new SessionException(Reason.PROTOCOL, "unable to determine the session type of "
                    + session.sessionId() + ": the handshake carried no SessionType action"));
            return Optional.empty();
        }
        return Optional.of(new Outcome(pendingType, pendingAgentVersion, pendingProperties, pendingEncrypted,
                c.customerMessage() == null ? "" : c.customerMessage()));
    }
}
