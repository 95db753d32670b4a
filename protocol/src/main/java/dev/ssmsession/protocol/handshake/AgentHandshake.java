package dev.ssmsession.protocol.handshake;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ssmsession.protocol.crypto.AesGcmPayloadCipher;
import dev.ssmsession.protocol.crypto.DataKeyDecryptor;
import dev.ssmsession.protocol.crypto.PayloadCipher;
import dev.ssmsession.protocol.crypto.PayloadDecryptionException;
import dev.ssmsession.protocol.crypto.Side;
import dev.ssmsession.protocol.payload.ActionStatus;
import dev.ssmsession.protocol.payload.EncryptionChallenge;
import dev.ssmsession.protocol.payload.HandshakeComplete;
import dev.ssmsession.protocol.payload.HandshakeRequest;
import dev.ssmsession.protocol.payload.HandshakeResponse;
import dev.ssmsession.protocol.payload.KmsEncryptionResult;
import dev.ssmsession.protocol.payload.PayloadFormatException;
import dev.ssmsession.protocol.payload.PortProperties;
import dev.ssmsession.protocol.payload.ProcessedClientAction;
import dev.ssmsession.protocol.payload.RequestedClientAction;
import dev.ssmsession.protocol.payload.SessionType;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.function.Supplier;

/**
 * The agent's side of the handshake (SPEC §4, §5), as the simulated agent of the testkit and the
 * tests run it. Pure state machine, no I/O, not thread-safe.
 *
 * <pre>
 * request() -> onHandshakeResponse(..) -> [encrypted: onChallengeResponse(..)] -> complete(..)
 * </pre>
 */
public final class AgentHandshake {
    /** What the agent tells the user on an encrypted session (SPEC §4.4). */
    public static final String ENCRYPTED_MESSAGE = "This session is encrypted using AWS KMS.";
    /** Bytes of the RandomChallenge in the KMSEncryption action (SPEC §5.4). */
    public static final int RANDOM_CHALLENGE_LENGTH = 16;
    /** Bytes of the challenge sent in EncChallengeRequest (SPEC §5.4). */
    public static final int CHALLENGE_LENGTH = 64;

    private enum State {
        REQUEST_PENDING,
        AWAITING_RESPONSE,
        AWAITING_CHALLENGE_RESPONSE,
        READY_TO_COMPLETE,
        COMPLETE
    }

    private final String sessionId;
    private final String targetId;
    private final String agentVersion;
    private final SessionType sessionType;
    private final JsonNode properties;
    private final String kmsKeyId;
    private final boolean requireChallengeAcknowledgement;
    private final DataKeyDecryptor decryptor;
    private final Random random;
    private final String randomChallenge;

    private State state = State.REQUEST_PENDING;
    private PayloadCipher cipher;
    private byte[] challenge;

    private AgentHandshake(Builder b) {
        this.sessionId = Objects.requireNonNull(b.sessionId, "sessionId");
        this.targetId = Objects.requireNonNull(b.targetId, "targetId");
        this.agentVersion = Objects.requireNonNull(b.agentVersion, "agentVersion");
        this.sessionType = Objects.requireNonNull(b.sessionType, "sessionType");
        this.properties = b.properties;
        this.kmsKeyId = b.kmsKeyId;
        this.requireChallengeAcknowledgement = b.requireChallengeAcknowledgement;
        this.decryptor = b.decryptor;
        this.random = b.random != null ? b.random : new SecureRandom();
        if (kmsKeyId != null && decryptor == null) {
            throw new IllegalArgumentException("KMS encryption needs a DataKeyDecryptor");
        }
        if (requireChallengeAcknowledgement && !b.randomChallenge) {
            throw new IllegalArgumentException("requiring a challenge acknowledgement needs the random challenge to be sent");
        }
        if (kmsKeyId != null && b.randomChallenge) {
            byte[] c = new byte[RANDOM_CHALLENGE_LENGTH];
            random.nextBytes(c);
            this.randomChallenge = Base64.getEncoder().encodeToString(c);
        } else {
            this.randomChallenge = null;
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Whether this handshake asks for KMS encryption. */
    public boolean encrypted() {
        return kmsKeyId != null;
    }

    /** The HandshakeRequest JSON (PayloadType 5): SessionType first, then KMSEncryption if configured. */
    public byte[] request() {
        if (state != State.REQUEST_PENDING && state != State.AWAITING_RESPONSE) {
            throw new HandshakeException("HandshakeRequest is only sent before the response, state is " + state);
        }
        List<RequestedClientAction> actions = new ArrayList<>();
        actions.add(RequestedClientAction.sessionType(sessionType, properties));
        if (kmsKeyId != null) {
            actions.add(RequestedClientAction.kmsEncryption(kmsKeyId, randomChallenge));
        }
        state = State.AWAITING_RESPONSE;
        return new HandshakeRequest(agentVersion, actions).toJson();
    }

    /**
     * Checks the client's HandshakeResponse: every requested action must be answered with status 1.
     * For KMS, decrypts the data key through the {@link DataKeyDecryptor} and prepares the 64-byte
     * challenge.
     *
     * @throws HandshakeException naming the failed action and the client's error, or the problem
     */
    public AgentHandshakeResult onHandshakeResponse(byte[] payload) {
        if (state != State.AWAITING_RESPONSE) {
            throw new HandshakeException("HandshakeResponse received in state " + state + ", expected AWAITING_RESPONSE");
        }
        HandshakeResponse response = parse(() -> HandshakeResponse.fromJson(payload), "HandshakeResponse");
        for (ProcessedClientAction a : response.processedClientActions()) {
            if (a.actionStatus() != ActionStatus.SUCCESS) {
                throw new HandshakeException(a.actionType() + " failed on client with status " + a.actionStatus().wire()
                        + " (" + a.actionStatus() + "): " + a.error());
            }
        }
        requireAnswered(response, "SessionType");
        String clientVersion = response.clientVersion() == null ? "" : response.clientVersion();
        if (kmsKeyId == null) {
            state = State.READY_TO_COMPLETE;
            return new AgentHandshakeResult(clientVersion, null, null);
        }
        ProcessedClientAction kms = requireAnswered(response, "KMSEncryption");
        KmsEncryptionResult result = parse(kms::kmsEncryptionResult, "KMSEncryption ActionResult");
        if (result.kmsCipherTextKey() == null || result.kmsCipherTextKey().length == 0) {
            throw new HandshakeException("KMSEncryption ActionResult has no KMSCipherTextKey");
        }
        if (requireChallengeAcknowledgement && !result.acknowledgesChallenge()) {
            throw new HandshakeException("client did not acknowledge the KMS RandomChallenge, which this agent requires");
        }
        Map<String, String> context = EncryptionContext.of(sessionId, targetId,
                result.acknowledgesChallenge() ? randomChallenge : null);
        byte[] key;
        try {
            key = decryptor.decrypt(result.kmsCipherTextKey(), kmsKeyId, context);
        } catch (RuntimeException e) {
            throw new HandshakeException("KMS Decrypt of the client's data key failed: " + e.getMessage(), e);
        }
        if (key == null || key.length != AesGcmPayloadCipher.DATA_KEY_LENGTH) {
            throw new HandshakeException("decrypted data key has " + (key == null ? 0 : key.length)
                    + " bytes, expected " + AesGcmPayloadCipher.DATA_KEY_LENGTH);
        }
        cipher = AesGcmPayloadCipher.create(key, Side.AGENT, random::nextBytes);
        Arrays.fill(key, (byte) 0);
        challenge = new byte[CHALLENGE_LENGTH];
        random.nextBytes(challenge);
        byte[] request = new EncryptionChallenge(cipher.encrypt(challenge)).toJson();
        state = State.AWAITING_CHALLENGE_RESPONSE;
        return new AgentHandshakeResult(clientVersion, cipher, request);
    }

    /**
     * Verifies the client's EncChallengeResponse (PayloadType 9): it must decrypt with the agent's
     * key to exactly the challenge sent.
     *
     * @throws HandshakeException if it does not parse, decrypt or match
     */
    public void onChallengeResponse(byte[] payload) {
        if (state != State.AWAITING_CHALLENGE_RESPONSE) {
            throw new HandshakeException("EncChallengeResponse received in state " + state + ", expected AWAITING_CHALLENGE_RESPONSE");
        }
        EncryptionChallenge answer = parse(() -> EncryptionChallenge.fromJson(payload), "EncChallengeResponse");
        byte[] plain;
        try {
            plain = cipher.decrypt(answer.challenge());
        } catch (PayloadDecryptionException e) {
            throw new HandshakeException("encryption challenge response does not decrypt: " + e.getMessage(), e);
        }
        if (!MessageDigest.isEqual(plain, challenge)) {
            throw new HandshakeException("encryption challenge response does not match the challenge sent");
        }
        state = State.READY_TO_COMPLETE;
    }

    /**
     * The HandshakeComplete JSON (PayloadType 7) with the standard customer message: the KMS notice
     * on encrypted sessions, empty otherwise.
     */
    public byte[] complete(Duration timeToComplete) {
        return complete(timeToComplete, encrypted() ? ENCRYPTED_MESSAGE : "");
    }

    /** The HandshakeComplete JSON (PayloadType 7) with the given customer message. */
    public byte[] complete(Duration timeToComplete, String customerMessage) {
        if (state != State.READY_TO_COMPLETE) {
            throw new HandshakeException("HandshakeComplete cannot be sent in state " + state);
        }
        state = State.COMPLETE;
        return HandshakeComplete.of(timeToComplete, customerMessage).toJson();
    }

    private static ProcessedClientAction requireAnswered(HandshakeResponse response, String actionType) {
        return response.processedClientActions().stream()
                .filter(a -> actionType.equals(a.actionType()))
                .findFirst()
                .orElseThrow(() -> new HandshakeException("client did not answer the " + actionType + " action"));
    }

    private static <T> T parse(Supplier<T> parser, String what) {
        try {
            return parser.get();
        } catch (PayloadFormatException e) {
            throw new HandshakeException(what + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "AgentHandshake[session=" + sessionId + ", type=" + sessionType + ", state=" + state + ", kms=" + (kmsKeyId != null) + "]";
    }

    /** Configures an {@link AgentHandshake}. Session id, target id, agent version and session type are required. */
    public static final class Builder {
        private String sessionId;
        private String targetId;
        private String agentVersion;
        private SessionType sessionType;
        private JsonNode properties;
        private String kmsKeyId;
        private boolean randomChallenge = true;
        private boolean requireChallengeAcknowledgement;
        private DataKeyDecryptor decryptor;
        private Random random;

        private Builder() {
        }

        public Builder sessionId(String sessionId) {
            this.sessionId = sessionId;
            return this;
        }

        /** The agent's own instance id; must equal the client's Target for KMS to decrypt. */
        public Builder targetId(String targetId) {
            this.targetId = targetId;
            return this;
        }

        public Builder agentVersion(String agentVersion) {
            this.agentVersion = agentVersion;
            return this;
        }

        public Builder sessionType(SessionType sessionType) {
            this.sessionType = sessionType;
            return this;
        }

        /** The {@code Properties} object; {@code null} is sent as JSON null (shell family). */
        public Builder properties(JsonNode properties) {
            this.properties = properties;
            return this;
        }

        public Builder properties(PortProperties properties) {
            this.properties = properties == null ? null : properties.toJsonNode();
            return this;
        }

        /**
         * Asks for KMS encryption with this key id and decrypts the client's data key with
         * {@code decryptor}.
         */
        public Builder kms(String kmsKeyId, DataKeyDecryptor decryptor) {
            this.kmsKeyId = Objects.requireNonNull(kmsKeyId, "kmsKeyId");
            this.decryptor = Objects.requireNonNull(decryptor, "decryptor");
            return this;
        }

        /** Whether to send the 16-byte RandomChallenge with KMSEncryption (default true, as newer agents). */
        public Builder randomChallenge(boolean send) {
            this.randomChallenge = send;
            return this;
        }

        /** Reject clients that do not acknowledge the RandomChallenge ({@code Kms.RequireKMSChallengeResponse}). */
        public Builder requireChallengeAcknowledgement(boolean require) {
            this.requireChallengeAcknowledgement = require;
            return this;
        }

        /** Source of the RandomChallenge, the 64-byte challenge and cipher nonces; a SecureRandom by default. */
        public Builder random(Random random) {
            this.random = random;
            return this;
        }

        public AgentHandshake build() {
            return new AgentHandshake(this);
        }
    }
}
