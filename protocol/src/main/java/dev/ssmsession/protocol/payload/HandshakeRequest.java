package dev.ssmsession.protocol.payload;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/**
 * The HandshakeRequest payload (PayloadType 5, agent to client, SPEC §4.2). SessionType comes
 * first; KMSEncryption is appended when the session is encrypted.
 */
@JsonPropertyOrder({"AgentVersion", "RequestedClientActions"})
public record HandshakeRequest(
        @JsonProperty("AgentVersion") String agentVersion,
        @JsonProperty("RequestedClientActions") List<RequestedClientAction> requestedClientActions) {

    public HandshakeRequest {
        // Go's decoder turns a missing or null array into an empty one; so does this.
        requestedClientActions = requestedClientActions == null ? List.of() : List.copyOf(requestedClientActions);
    }

    /** Parses a HandshakeRequest payload. */
    public static HandshakeRequest fromJson(byte[] json) {
        return Payloads.fromJson(json, HandshakeRequest.class);
    }

    public byte[] toJson() {
        return Payloads.toJson(this);
    }
}
