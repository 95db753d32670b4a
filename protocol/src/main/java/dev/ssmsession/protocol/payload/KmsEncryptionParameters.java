package dev.ssmsession.protocol.payload;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Optional;

/**
 * {@code ActionParameters} of a KMSEncryption action (SPEC §4.2, §5.4). {@code Challenge} is the
 * base64 text of 16 random bytes that newer agents send; it is kept as the exact string because the
 * client must echo it verbatim into the KMS encryption context. Older agents omit it.
 */
@JsonPropertyOrder({"KMSKeyId", "Challenge"})
public record KmsEncryptionParameters(
        @JsonProperty("KMSKeyId") String kmsKeyId,
        @JsonProperty("Challenge") @JsonInclude(JsonInclude.Include.NON_NULL) String challenge) {

    /** The agent's random challenge, when it sent a non-empty one. */
    public Optional<String> randomChallenge() {
        return challenge == null || challenge.isEmpty() ? Optional.empty() : Optional.of(challenge);
    }
}
