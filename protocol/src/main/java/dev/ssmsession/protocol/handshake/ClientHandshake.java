package dev.ssmsession.protocol.handshake;

import dev.ssmsession.protocol.crypto.AesGcmPayloadCipher;
import dev.ssmsession.protocol.crypto.DataKey;
import dev.ssmsession.protocol.crypto.DataKeyProvider;
import dev.ssmsession.protocol.crypto.NonceSource;
import dev.ssmsession.protocol.crypto.PayloadCipher;
import dev.ssmsession.protocol.crypto.PayloadDecryptionException;
import dev.ssmsession.protocol.crypto.Side;
import dev.ssmsession.protocol.payload.ActionStatus;
import dev.ssmsession.protocol.payload.ActionType;
import dev.ssmsession.protocol.payload.EncryptionChallenge;
import dev.ssmsession.protocol.payload.HandshakeComplete;
import dev.ssmsession.protocol.payload.HandshakeRequest;
import dev.ssmsession.protocol.payload.HandshakeResponse;
import dev.ssmsession.protocol.payload.KmsEncryptionParameters;
import dev.ssmsession.protocol.payload.KmsEncryptionResult;
import dev.ssmsession.protocol.payload.PayloadFormatException;
import dev.ssmsession.protocol.payload.ProcessedClientAction;
import dev.ssmsession.protocol.payload.RequestedClientAction;
import dev.ssmsession.protocol.payload.SessionType;
import dev.ssmsession.protocol.payload.SessionTypeParameters;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The client's side of the handshake (SPEC §4, §5) as a pure state machine: payload bytes in,
 * payload bytes and decisions out. No I/O, no threads; not thread-safe (the data channel delivers
 * handshake payloads one at a time, in order).
 *
 * <pre>
 * AWAITING_REQUEST --onHandshakeRequest--> NEGOTIATED --onEncryptionChallenge--> CHALLENGED
 *        |                                     |                                     |
 *        +------------------------------ onHandshakeComplete ------------------------+--> COMPLETE
 * </pre>
 */
public final class ClientHandshake {
    /** SPEC §4.3: the text the Go client sends when it cannot do KMS (legacy invocation). */
    public static final String ENCRYPTION_NOT_SUPPORTED = "Installed version of CLI does not support Session Manager encryption feature. "
            + "Please upgrade to the latest version of your CLI (e.g., AWS CLI).";

    /** Where the handshake stands. */
    public enum State {
        AWAITING_REQUEST,
        NEGOTIATED,
        CHALLENGED,
        COMPLETE
    }

    private final String sessionId;
    private final String targetId;
    private final String clientVersion;
    private final DataKeyProvider dataKeyProvider;
    private final NonceSource nonces;

    private State state = State.AWAITING_REQUEST;
    private PayloadCipher cipher;

    private ClientHandshake(Builder b) {
        this.sessionId = Objects.requireNonNull(b.sessionId, "sessionId");
        this.targetId = Objects.requireNonNull(b.targetId, "targetId");
        this.clientVersion = Objects.requireNonNull(b.clientVersion, "clientVersion");
        this.dataKeyProvider = b.dataKeyProvider;
        this.nonces = b.nonces != null ? b.nonces : NonceSource.random(new SecureRandom());
    }

    public static Builder builder() {
        return new Builder();
    }

    public State state() {
        return state;
    }

    /**
     * Processes a HandshakeRequest (PayloadType 5): one processed action per requested action, in
     * order. Failed actions do not throw; they are reported in the response, which the agent then
     * rejects.
     *
     * @throws HandshakeException if the payload does not parse or a request was already processed
     */
    public ClientHandshakeResult onHandshakeRequest(byte[] payload) {
        requireState(State.AWAITING_REQUEST, "HandshakeRequest");
        return onHandshakeRequest(parse(() -> HandshakeRequest.fromJson(payload), "HandshakeRequest"));
    }

    /**
     * As {@link #onHandshakeRequest(byte[])}, for a request the caller already parsed.
     *
     * @throws HandshakeException if a request was already processed
     */
    public ClientHandshakeResult onHandshakeRequest(HandshakeRequest request) {
        requireState(State.AWAITING_REQUEST, "HandshakeRequest");
        Objects.requireNonNull(request, "request");
        List<ProcessedClientAction> processed = new ArrayList<>();
        SessionType sessionType = null;
        SessionTypeParameters sessionParameters = null;
        PayloadCipher negotiated = null;
        for (RequestedClientAction action : request.requestedClientActions()) {
            Optional<ActionType> known = action.knownActionType();
            if (known.isEmpty()) {
                processed.add(ProcessedClientAction.unsupported(action.actionType()));
                continue;
            }
            switch (known.get()) {
                case SESSION_TYPE -> {
                    SessionTypeParameters p;
                    try {
                        p = action.sessionTypeParameters();
                    } catch (PayloadFormatException e) {
                        processed.add(ProcessedClientAction.failed(action.actionType(), e.getMessage()));
                        continue;
                    }
                    Optional<SessionType> type = p.knownSessionType();
                    if (type.isEmpty()) {
                        processed.add(ProcessedClientAction.failed(action.actionType(), "Unknown session type " + p.sessionType()));
                        continue;
                    }
                    sessionType = type.get();
                    sessionParameters = p;
                    processed.add(ProcessedClientAction.success(action.actionType(), null));
                }
                case KMS_ENCRYPTION -> {
                    KmsOutcome outcome = processKms(action);
                    processed.add(outcome.action);
                    if (outcome.cipher != null) {
                        negotiated = outcome.cipher;
                    }
                }
                default -> throw new IllegalStateException("unhandled action type " + known.get());
            }
        }
        List<String> errors = processed.stream()
                .filter(a -> a.actionStatus() != ActionStatus.SUCCESS)
                .map(ProcessedClientAction::error)
                .toList();
        HandshakeResponse response = new HandshakeResponse(clientVersion, processed, errors);
        cipher = negotiated;
        state = State.NEGOTIATED;
        return new ClientHandshakeResult(response.toJson(), response,
                request.agentVersion() == null ? "" : request.agentVersion(),
                sessionType, sessionParameters == null ? null : sessionParameters.properties(), negotiated);
    }

    /**
     * Answers an EncChallengeRequest (PayloadType 8): decrypts the challenge with the client's
     * decrypt key and re-encrypts it with the encrypt key under a fresh nonce (SPEC §5.4).
     *
     * @return the EncChallengeResponse payload (PayloadType 9, sent as is, not further encrypted)
     * @throws HandshakeException if encryption was not negotiated, the payload does not parse or
     *                            the challenge does not decrypt
     */
    public byte[] onEncryptionChallenge(byte[] payload) {
        requireState(State.NEGOTIATED, "EncChallengeRequest");
        if (cipher == null) {
            throw new HandshakeException("EncChallengeRequest received but KMS encryption was not negotiated");
        }
        EncryptionChallenge challenge = parse(() -> EncryptionChallenge.fromJson(payload), "EncChallengeRequest");
        byte[] plain;
        try {
            plain = cipher.decrypt(challenge.challenge());
        } catch (PayloadDecryptionException e) {
            throw new HandshakeException("cannot decrypt the agent's encryption challenge: " + e.getMessage(), e);
        }
        byte[] answer = new EncryptionChallenge(cipher.encrypt(plain)).toJson();
        Arrays.fill(plain, (byte) 0);
        state = State.CHALLENGED;
        return answer;
    }

    /**
     * Takes the HandshakeComplete (PayloadType 7). Print a non-empty
     * {@link HandshakeComplete#customerMessage()} followed by a newline (SPEC §4.4).
     *
     * @throws HandshakeException if the payload does not parse or the handshake already completed
     */
    public HandshakeComplete onHandshakeComplete(byte[] payload) {
        if (state == State.COMPLETE) {
            throw new HandshakeException("HandshakeComplete received twice");
        }
        HandshakeComplete complete = parse(() -> HandshakeComplete.fromJson(payload), "HandshakeComplete");
        state = State.COMPLETE;
        return complete;
    }

    private KmsOutcome processKms(RequestedClientAction action) {
        String type = action.actionType();
        if (dataKeyProvider == null) {
            return new KmsOutcome(ProcessedClientAction.failed(type, ENCRYPTION_NOT_SUPPORTED), null);
        }
        KmsEncryptionParameters p;
        try {
            p = action.kmsEncryptionParameters();
        } catch (PayloadFormatException e) {
            return new KmsOutcome(ProcessedClientAction.failed(type, e.getMessage()), null);
        }
        if (p.kmsKeyId() == null || p.kmsKeyId().isEmpty()) {
            return new KmsOutcome(ProcessedClientAction.failed(type, "KMSEncryption request has no KMSKeyId"), null);
        }
        String randomChallenge = p.randomChallenge().orElse(null);
        Map<String, String> context = EncryptionContext.of(sessionId, targetId, randomChallenge);
        DataKey key;
        try {
            key = Objects.requireNonNull(dataKeyProvider.generateDataKey(p.kmsKeyId(), context), "data key provider returned null");
        } catch (RuntimeException e) {
            // The provider's message (a KMS error code and text) carries no key material; pass it on.
            return new KmsOutcome(ProcessedClientAction.failed(type, "Error while generating data key: " + e.getMessage()), null);
        }
        if (key.plaintext().length != AesGcmPayloadCipher.DATA_KEY_LENGTH) {
            return new KmsOutcome(ProcessedClientAction.failed(type, "data key has " + key.plaintext().length
                    + " bytes, expected " + AesGcmPayloadCipher.DATA_KEY_LENGTH), null);
        }
        PayloadCipher c = AesGcmPayloadCipher.create(key.plaintext(), Side.CLIENT, nonces);
        KmsEncryptionResult result = KmsEncryptionResult.of(key.ciphertextBlob(), randomChallenge != null);
        return new KmsOutcome(ProcessedClientAction.success(type, result.toJsonNode()), c);
    }

    private void requireState(State expected, String what) {
        if (state != expected) {
            throw new HandshakeException(what + " received in state " + state + ", expected " + expected);
        }
    }

    private static <T> T parse(Supplier<T> parser, String what) {
        try {
            return parser.get();
        } catch (PayloadFormatException e) {
            throw new HandshakeException(what + ": " + e.getMessage(), e);
        }
    }

    private record KmsOutcome(ProcessedClientAction action, PayloadCipher cipher) {
    }

    @Override
    public String toString() {
        return "ClientHandshake[session=" + sessionId + ", state=" + state + ", encrypted=" + (cipher != null) + "]";
    }

    /** Configures a {@link ClientHandshake}. Session id, target id and client version are required. */
    public static final class Builder {
        private String sessionId;
        private String targetId;
        private String clientVersion;
        private DataKeyProvider dataKeyProvider;
        private NonceSource nonces;

        private Builder() {
        }

        /** The session id; goes into the KMS encryption context. */
        public Builder sessionId(String sessionId) {
            this.sessionId = sessionId;
            return this;
        }

        /** The StartSession {@code Target}; goes into the KMS encryption context and must match the agent's id. */
        public Builder targetId(String targetId) {
            this.targetId = targetId;
            return this;
        }

        /** The version reported to the agent; it gates smux and keepalive there (SPEC §8.6). */
        public Builder clientVersion(String clientVersion) {
            this.clientVersion = clientVersion;
            return this;
        }

        /** Where data keys come from; without one a KMSEncryption action fails (SPEC §4.3). */
        public Builder dataKeyProvider(DataKeyProvider dataKeyProvider) {
            this.dataKeyProvider = dataKeyProvider;
            return this;
        }

        /** Nonces for the session cipher; random by default. */
        public Builder nonceSource(NonceSource nonces) {
            this.nonces = nonces;
            return this;
        }

        public ClientHandshake build() {
            return new ClientHandshake(this);
        }
    }
}
