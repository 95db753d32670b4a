package dev.ssmsession.protocol.payload;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Arrays;
import java.util.Objects;

/**
 * {@code ActionResult} of a successful KMSEncryption action (SPEC §4.3, §5.4). Byte arrays are
 * standard padded base64 on the wire, as Go encodes {@code []byte}. {@code KMSCipherTextHash} is
 * always null from Go and from this client. {@code ChallengeAcknowledgement} is written only when
 * the client honoured the agent's RandomChallenge, so a response to an old agent is byte-for-byte
 * what the Go client sends.
 */
@JsonPropertyOrder({"KMSCipherTextKey", "KMSCipherTextHash", "ChallengeAcknowledgement"})
public record KmsEncryptionResult(
        @JsonProperty("KMSCipherTextKey") byte[] kmsCipherTextKey,
        @JsonProperty("KMSCipherTextHash") @JsonInclude(JsonInclude.Include.ALWAYS) byte[] kmsCipherTextHash,
        @JsonProperty("ChallengeAcknowledgement") @JsonInclude(JsonInclude.Include.NON_NULL) Boolean challengeAcknowledgement) {

    /** A result carrying the KMS ciphertext blob; acknowledges the challenge iff {@code acknowledged}. */
    public static KmsEncryptionResult of(byte[] ciphertextBlob, boolean acknowledged) {
        return new KmsEncryptionResult(Objects.requireNonNull(ciphertextBlob, "ciphertextBlob"), null, acknowledged ? Boolean.TRUE : null);
    }

    /** Whether the client said it put the agent's challenge into the encryption context. */
    @JsonIgnore
    public boolean acknowledgesChallenge() {
        return Boolean.TRUE.equals(challengeAcknowledgement);
    }

    public ObjectNode toJsonNode() {
        return Payloads.mapper().valueToTree(this);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KmsEncryptionResult r
                && Arrays.equals(kmsCipherTextKey, r.kmsCipherTextKey)
                && Arrays.equals(kmsCipherTextHash, r.kmsCipherTextHash)
                && Objects.equals(challengeAcknowledgement, r.challengeAcknowledgement);
    }

    @Override
    public int hashCode() {
        return Objects.hash(Arrays.hashCode(kmsCipherTextKey), Arrays.hashCode(kmsCipherTextHash), challengeAcknowledgement);
    }

    @Override
    public String toString() {
        return "KmsEncryptionResult[KMSCipherTextKey=" + (kmsCipherTextKey == null ? "null" : kmsCipherTextKey.length + " bytes")
                + ", ChallengeAcknowledgement=" + challengeAcknowledgement + "]";
    }
}
