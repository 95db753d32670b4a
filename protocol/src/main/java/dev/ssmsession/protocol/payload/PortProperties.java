package dev.ssmsession.protocol.payload;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A typed view of the {@code Properties} object of a Port session (SPEC §4.2, §8.2): the session
 * document's properties after parameter substitution. All values are strings on the wire; absent
 * keys are {@code null}. Only the keys named here are read; the rest of the object is ignored.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"portNumber", "type", "localPortNumber", "localUnixSocket", "localConnectionType", "host"})
public record PortProperties(
        @JsonProperty("portNumber") String portNumber,
        @JsonProperty("type") String type,
        @JsonProperty("localPortNumber") String localPortNumber,
        @JsonProperty("localUnixSocket") String localUnixSocket,
        @JsonProperty("localConnectionType") String localConnectionType,
        @JsonProperty("host") String host) {

    /** The {@code type} that selects smux or basic forwarding rather than stdio (SPEC §8.2). */
    public static final String LOCAL_PORT_FORWARDING = "LocalPortForwarding";
    /** The {@code localConnectionType} that listens on a unix socket instead of TCP. */
    public static final String UNIX = "unix";

    /**
     * Reads the view from a {@code Properties} node.
     *
     * @throws PayloadFormatException if the node is missing, null or not an object
     */
    public static PortProperties from(JsonNode properties) {
        if (properties == null || !properties.isObject()) {
            throw new PayloadFormatException("Port session Properties must be a JSON object, got "
                    + (properties == null ? "nothing" : properties.getNodeType()));
        }
        return Payloads.fromTree(properties, PortProperties.class);
    }

    /** This view as a JSON object, for building a handshake request. */
    public ObjectNode toJsonNode() {
        return Payloads.mapper().valueToTree(this);
    }

    /** Whether {@code type} is {@value #LOCAL_PORT_FORWARDING}; otherwise the client forwards stdio. */
    @JsonIgnore
    public boolean localPortForwarding() {
        return LOCAL_PORT_FORWARDING.equals(type);
    }

    /** Whether the client should listen on {@link #localUnixSocket()} instead of a TCP port. */
    @JsonIgnore
    public boolean unixSocket() {
        return UNIX.equals(localConnectionType);
    }
}
