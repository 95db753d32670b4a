package dev.ssmsession.client.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ssmsession.client.SessionInfo;
import dev.ssmsession.protocol.handshake.Versions;
import dev.ssmsession.protocol.payload.PortProperties;
import dev.ssmsession.protocol.payload.SessionType;

import java.util.LinkedHashMap;
import java.util.Map;

/** Builds the {@link SessionInfo} of a session once its type is known, choosing the mode per SPEC §8.2. */
final class SessionInfos {
    private SessionInfos() {
    }

    /**
     * @throws dev.ssmsession.protocol.payload.PayloadFormatException if a Port session's properties are not an object
     */
    static SessionInfo describe(String sessionId, SessionType type, String agentVersion, JsonNode properties,
                                boolean encrypted, String customerMessage) {
        SessionInfo.Mode mode;
        if (type.shellFamily()) {
            mode = SessionInfo.Mode.SHELL;
        } else {
            PortProperties p = PortProperties.from(properties);
            if (p.localPortForwarding()) {
                mode = Versions.clientUsesSmux(agentVersion) ? SessionInfo.Mode.PORT_MUX : SessionInfo.Mode.PORT_BASIC;
            } else {
                mode = SessionInfo.Mode.STDIO;
            }
        }
        Map<String, String> props = new LinkedHashMap<>();
        if (properties != null && properties.isObject()) {
            for (Map.Entry<String, JsonNode> f : properties.properties()) {
                if (!f.getValue().isNull()) {
                    props.put(f.getKey(), f.getValue().isTextual() ? f.getValue().asText() : f.getValue().toString());
                }
            }
        }
        return new SessionInfo(sessionId, type.wire(), agentVersion, props, encrypted, customerMessage, mode);
    }
}
