package dev.ssmsession.protocol.payload;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.ssmsession.protocol.json.Json;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Map;

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

    /**
     * Parses a channel_closed body as {@link Payloads#fromJson} would (names matched ignoring case, unknown fields
     * ignored, absent ones null or 0), without the object mapper: every session ends with one, and a plain shell
     * needs the mapper for nothing else.
     *
     * @throws PayloadFormatException naming the problem (not the bytes)
     */
    public static ChannelClosed fromJson(byte[] json) {
        Object root;
        try {
            root = Json.parse(new String(json, StandardCharsets.UTF_8));
        } catch (Json.Malformed e) {
            throw new PayloadFormatException("invalid ChannelClosed JSON: " + e.getMessage(), e);
        }
        if (!(root instanceof Map<?, ?> m)) {
            throw new PayloadFormatException(root == null ? "ChannelClosed payload is JSON null"
                    : "invalid ChannelClosed JSON: not an object");
        }
        return new ChannelClosed(text(m, "MessageId"), text(m, "CreatedDate"), text(m, "DestinationId"),
                text(m, "SessionId"), text(m, "MessageType"), integer(m, "SchemaVersion"), text(m, "Output"));
    }

    private static String text(Map<?, ?> m, String name) {
        Object v = Json.field(m, name);
        if (v == null || v instanceof String) {
            return (String) v;
        }
        if (v instanceof BigDecimal || v instanceof Boolean) {
            return v.toString(); // a scalar where a string belongs, as Jackson coerces it
        }
        throw new PayloadFormatException("invalid ChannelClosed JSON: " + name + " is not a string");
    }

    private static int integer(Map<?, ?> m, String name) {
        Object v = Json.field(m, name);
        try {
            if (v == null) {
                return 0;
            }
            if (v instanceof BigDecimal d) {
                return d.intValueExact();
            }
            if (v instanceof String s) {
                return Integer.parseInt(s.trim());
            }
        } catch (ArithmeticException | NumberFormatException e) {
            // below
        }
        throw new PayloadFormatException("invalid ChannelClosed JSON: " + name + " is not an integer");
    }
}
