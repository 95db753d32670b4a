package dev.ssmsession.protocol.payload;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Arrays;
import java.util.Objects;

/**
 * The body of EncChallengeRequest (PayloadType 8) and EncChallengeResponse (9), SPEC §5.4:
 * {@code {"Challenge":"<base64 envelope>"}}. The envelope is an AES-GCM envelope, not further
 * encrypted by the data channel.
 */
public record EncryptionChallenge(@JsonProperty("Challenge") byte[] challenge) {
    public EncryptionChallenge {
        Objects.requireNonNull(challenge, "challenge");
    }

    /**
     * Parses a challenge payload.
     *
     * @throws PayloadFormatException if the JSON or the base64 is invalid, or Challenge is missing
     */
    public static EncryptionChallenge fromJson(byte[] json) {
        return Payloads.fromJson(json, EncryptionChallenge.class);
    }

    public byte[] toJson() {
        return Payloads.toJson(this);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EncryptionChallenge c && Arrays.equals(challenge, c.challenge);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(challenge);
    }

    @Override
    public String toString() {
        return "EncryptionChallenge[" + challenge.length + " bytes]";
    }
}
