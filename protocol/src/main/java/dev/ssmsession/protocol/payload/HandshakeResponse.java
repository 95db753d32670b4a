package dev.ssmsession.protocol.payload;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/**
 * The HandshakeResponse payload (PayloadType 6, client to agent, SPEC §4.3): one processed action
 * per requested action, in order. {@code Errors} is JSON null when nothing failed, as Go's nil slice.
 */
@JsonPropertyOrder({"ClientVersion", "ProcessedClientActions", "Errors"})
public record HandshakeResponse(
        @JsonProperty("ClientVersion") String clientVersion,
        @JsonProperty("ProcessedClientActions") List<ProcessedClientAction> processedClientActions,
        @JsonProperty("Errors") @JsonInclude(JsonInclude.Include.ALWAYS) List<String> errors) {

    public HandshakeResponse {
        processedClientActions = processedClientActions == null ? List.of() : List.copyOf(processedClientActions);
        errors = errors == null || errors.isEmpty() ? null : List.copyOf(errors);
    }

    /** Parses a HandshakeResponse payload. */
    public static HandshakeResponse fromJson(byte[] json) {
        return Payloads.fromJson(json, HandshakeResponse.class);
    }

    public byte[] toJson() {
        return Payloads.toJson(this);
    }
}
