package dev.ssmsession.protocol.payload;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * The Size payload (PayloadType 3, SPEC §3.5): {@code {"cols":W,"rows":H}} with lowercase keys,
 * unlike every other payload. The wire types are uint32; terminals never come close to 2^31.
 */
@JsonPropertyOrder({"cols", "rows"})
public record TerminalSize(@JsonProperty("cols") int cols, @JsonProperty("rows") int rows) {
    public TerminalSize {
        if (cols < 0 || rows < 0) {
            throw new IllegalArgumentException("terminal size " + cols + "x" + rows + " is negative");
        }
    }

    /** Parses a Size payload. */
    public static TerminalSize fromJson(byte[] json) {
        return Payloads.fromJson(json, TerminalSize.class);
    }

    /** Written by hand: every shell sends one at its start, and it should not be what loads the object mapper. */
    public byte[] toJson() {
        return ("{\"cols\":" + cols + ",\"rows\":" + rows + "}").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }
}
