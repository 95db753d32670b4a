package dev.ssmsession.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ssmsession.protocol.message.ClientMessage;
import dev.ssmsession.protocol.message.PayloadType;
import dev.ssmsession.protocol.payload.Payloads;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.StartSessionResponse;

/** Test helpers: start a session through the real SDK, handshake as a plain protocol client. */
final class Sessions {
    private Sessions() {
    }

    static StartSessionResponse start(SsmClient ssm, String target, String document, Map<String, String> params) {
        Map<String, List<String>> p = new java.util.HashMap<>();
        params.forEach((k, v) -> p.put(k, List.of(v)));
        return ssm.startSession(b -> b.target(target).documentName(document).parameters(p));
    }

    static JsonNode json(ClientMessage m) throws Exception {
        return Payloads.mapper().readTree(m.payload());
    }

    /** Answers a handshake request whose actions are all SessionType with success. */
    static void answerSessionType(ProtocolClient c, String clientVersion, JsonNode request) {
        ObjectNode resp = Payloads.mapper().createObjectNode();
        resp.put("ClientVersion", clientVersion);
        var actions = resp.putArray("ProcessedClientActions");
        for (JsonNode a : request.path("RequestedClientActions")) {
            ObjectNode pa = actions.addObject();
            pa.put("ActionType", a.path("ActionType").asText());
            pa.put("ActionStatus", 1);
            pa.putNull("ActionResult");
            pa.put("Error", "");
        }
        resp.putNull("Errors");
        c.send(PayloadType.HANDSHAKE_RESPONSE, Payloads.toJson(resp));
    }
}
