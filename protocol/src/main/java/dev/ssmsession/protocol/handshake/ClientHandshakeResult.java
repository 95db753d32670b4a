package dev.ssmsession.protocol.handshake;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ssmsession.protocol.crypto.PayloadCipher;
import dev.ssmsession.protocol.payload.ActionStatus;
import dev.ssmsession.protocol.payload.HandshakeResponse;
import dev.ssmsession.protocol.payload.PortProperties;
import dev.ssmsession.protocol.payload.SessionType;
import java.util.Optional;

/**
 * What the client learned from a HandshakeRequest and what it answers (SPEC §4.3).
 *
 * <p>Send {@link #responsePayload()} as PayloadType 6. If {@link #cipher()} is present, switch the
 * data channel's encryption on at once: the agent's next encrypted payloads use it (SPEC §4.3).
 */
public final class ClientHandshakeResult {
    private final byte[] responsePayload;
    private final HandshakeResponse response;
    private final String agentVersion;
    private final SessionType sessionType;
    private final JsonNode properties;
    private final PayloadCipher cipher;

    ClientHandshakeResult(byte[] responsePayload, HandshakeResponse response, String agentVersion,
                          SessionType sessionType, JsonNode properties, PayloadCipher cipher) {
        this.responsePayload = responsePayload;
        this.response = response;
        this.agentVersion = agentVersion;
        this.sessionType = sessionType;
        this.properties = properties;
        this.cipher = cipher;
    }

    /** The HandshakeResponse JSON to send (PayloadType 6, not encrypted). Do not mutate. */
    public byte[] responsePayload() {
        return responsePayload;
    }

    /** The response as a record. */
    public HandshakeResponse response() {
        return response;
    }

    /** Whether every requested action succeeded; otherwise the agent will end the session. */
    public boolean succeeded() {
        return response.processedClientActions().stream().allMatch(a -> a.actionStatus() == ActionStatus.SUCCESS);
    }

    /** The agent's version, for the feature gates of {@link Versions}; may be empty if the agent sent none. */
    public String agentVersion() {
        return agentVersion;
    }

    /**
     * The session type the agent requested, if a SessionType action with a known type was processed.
     * Use {@link SessionType#shellFamily()} to pick the handler.
     */
    public Optional<SessionType> sessionType() {
        return Optional.ofNullable(sessionType);
    }

    /** The raw {@code Properties} of the SessionType action: an object for Port, null or JSON null otherwise. */
    public Optional<JsonNode> properties() {
        return Optional.ofNullable(properties).filter(p -> !p.isNull());
    }

    /**
     * The Port session's properties.
     *
     * @throws HandshakeException if this is not a Port session or its Properties are not an object
     */
    public PortProperties portProperties() {
        if (sessionType != SessionType.PORT) {
            throw new HandshakeException("session type is " + (sessionType == null ? "unknown" : sessionType.wire()) + ", not Port");
        }
        try {
            return PortProperties.from(properties);
        } catch (RuntimeException e) {
            throw new HandshakeException("Port session: " + e.getMessage(), e);
        }
    }

    /** The cipher to switch on now, when KMS encryption was negotiated. */
    public Optional<PayloadCipher> cipher() {
        return Optional.ofNullable(cipher);
    }

    @Override
    public String toString() {
        return "ClientHandshakeResult[agentVersion=" + agentVersion + ", sessionType=" + sessionType
                + ", encrypted=" + (cipher != null) + ", succeeded=" + succeeded() + "]";
    }
}
