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
}
