package dev.ssmsession.protocol.payload;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/**
 * {@code ActionParameters} of a SessionType action (SPEC §4.2). {@code Properties} is an object for
 * Port sessions and JSON {@code null} for the shell family; it is kept as a tree so nothing the
 * agent sent is lost.
 */
@JsonPropertyOrder({"SessionType", "Properties"})
public record SessionTypeParameters(
        @JsonProperty("SessionType") String sessionType,
        @JsonProperty("Properties") @JsonInclude(JsonInclude.Include.ALWAYS) JsonNode properties) {

    /** The session type, if it is one of the four known ones. */
    public Optional<SessionType> knownSessionType() {
        return SessionType.fromWire(sessionType);
    }
}
