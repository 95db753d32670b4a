package dev.ssmsession.protocol.payload;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * The JSON body of {@code channel_closed} (SPEC §3.4). {@code CreatedDate} is a string on the
 * wire; {@code Output} is an optional human-readable reason.
 */
@JsonPropertyOrder({"MessageId", "CreatedDate", "DestinationId", "SessionId", "MessageType", "SchemaVersion", "Output"})
public record ChannelClosed(
        @JsonProperty("MessageId") String messageId,
        @JsonProperty("CreatedDate") String createdDate,
        @JsonProperty("DestinationId") String destinationId,
        @JsonProperty("SessionId") String sessionId,
        @JsonProperty("MessageType") String messageType,
        @JsonProperty("SchemaVersion") int schemaVersion,
        @JsonProperty("Output") String output) {
}
