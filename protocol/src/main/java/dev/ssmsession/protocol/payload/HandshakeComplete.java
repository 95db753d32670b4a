package dev.ssmsession.protocol.payload;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.time.Duration;

/**
 * The HandshakeComplete payload (PayloadType 7, SPEC §4.4). {@code HandshakeTimeToComplete} is a
 * Go {@code time.Duration}, i.e. int64 nanoseconds. A non-empty {@code CustomerMessage} is shown to
 * the user followed by a newline.
 */
@JsonPropertyOrder({"HandshakeTimeToComplete", "CustomerMessage"})
public record HandshakeComplete(
        @JsonProperty("HandshakeTimeToComplete") long handshakeTimeToComplete,
        @JsonProperty("CustomerMessage") String customerMessage) {

    public HandshakeComplete {
        customerMessage = customerMessage == null ? "" : customerMessage;
    }

    public static HandshakeComplete of(Duration timeToComplete, String customerMessage) {
        return new HandshakeComplete(timeToComplete.toNanos(), customerMessage);
    }

    /** Parses a HandshakeComplete payload. */
    public static HandshakeComplete fromJson(byte[] json) {
        return Payloads.fromJson(json, HandshakeComplete.class);
    }

    /** {@code HandshakeTimeToComplete} as a duration. */
    public Duration timeToComplete() {
        return Duration.ofNanos(handshakeTimeToComplete);
    }

    public byte[] toJson() {
        return Payloads.toJson(this);
    }
}
