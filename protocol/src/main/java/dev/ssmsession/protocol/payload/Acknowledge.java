package dev.ssmsession.protocol.payload;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * The JSON body of an {@code acknowledge} message (SPEC §3.3). Receivers use only the sequence
 * number; type and id are informational.
 */
@JsonPropertyOrder({"AcknowledgedMessageType", "AcknowledgedMessageId", "AcknowledgedMessageSequenceNumber", "IsSequentialMessage"})
public record Acknowledge(
        @JsonProperty("AcknowledgedMessageType") String acknowledgedMessageType,
        @JsonProperty("AcknowledgedMessageId") String acknowledgedMessageId,
        @JsonProperty("AcknowledgedMessageSequenceNumber") long acknowledgedMessageSequenceNumber,
        @JsonProperty("IsSequentialMessage") boolean isSequentialMessage) {

    /** This acknowledge as JSON, exactly as {@link Payloads#toJson} writes it (written by hand: it is on the hot path). */
    public byte[] toJson() {
        return AckJson.encode(this);
    }

    /**
     * Parses an acknowledge body as {@link Payloads#fromJson} does (case-insensitive names, unknown names ignored),
     * with a hand-written reader for the plain flat objects agents send.
     *
     * @throws PayloadFormatException when it is not valid JSON for an acknowledge
     */
    public static Acknowledge fromJson(byte[] json) {
        Acknowledge fast = AckJson.decode(json);
        return fast != null ? fast : Payloads.fromJson(json, Acknowledge.class);
    }
}
