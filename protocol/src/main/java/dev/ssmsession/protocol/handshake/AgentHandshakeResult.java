package dev.ssmsession.protocol.handshake;

import dev.ssmsession.protocol.crypto.PayloadCipher;
import java.util.Optional;

/**
 * What the agent learned from an accepted HandshakeResponse. When encryption is on, switch the
 * agent's cipher on and send {@link #challengeRequestPayload()} as PayloadType 8; otherwise send
 * HandshakeComplete next.
 */
public final class AgentHandshakeResult {
    private final String clientVersion;
    private final PayloadCipher cipher;
    private final byte[] challengeRequestPayload;

    AgentHandshakeResult(String clientVersion, PayloadCipher cipher, byte[] challengeRequestPayload) {
        this.clientVersion = clientVersion;
        this.cipher = cipher;
        this.challengeRequestPayload = challengeRequestPayload;
    }

    /** The client's reported version, for {@link Versions#agentUsesSmux} and friends. */
    public String clientVersion() {
        return clientVersion;
    }

    /** The agent-side cipher, when KMS encryption was negotiated. */
    public Optional<PayloadCipher> cipher() {
        return Optional.ofNullable(cipher);
    }

    /** The EncChallengeRequest JSON (PayloadType 8), when KMS encryption was negotiated. Do not mutate. */
    public Optional<byte[]> challengeRequestPayload() {
        return Optional.ofNullable(challengeRequestPayload);
    }

    @Override
    public String toString() {
        return "AgentHandshakeResult[clientVersion=" + clientVersion + ", encrypted=" + (cipher != null) + "]";
    }
}
