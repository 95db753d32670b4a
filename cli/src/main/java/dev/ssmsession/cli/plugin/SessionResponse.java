package dev.ssmsession.cli.plugin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The StartSession (or ECS ExecuteCommand) response the AWS CLI hands the plugin. Keys are matched
 * case-insensitively: the SSM CLI sends {@code SessionId}, ECS Exec sends {@code sessionId} (SPEC §9).
 * {@link #toString()} never shows the token.
 */
public record SessionResponse(String sessionId, String tokenValue, String streamUrl) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public SessionResponse {
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(tokenValue, "tokenValue");
        Objects.requireNonNull(streamUrl, "streamUrl");
    }

    /** Parses the response JSON; the message of the exception names the problem, never the token. */
    public static SessionResponse parse(String json) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("the session response is not valid JSON ("
                    + e.getOriginalMessage() + ")", null);
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("the session response must be a JSON object");
        }
        return new SessionResponse(field(root, "SessionId"), field(root, "TokenValue"), field(root, "StreamUrl"));
    }

    private static String field(JsonNode root, String name) {
        String wanted = name.toLowerCase(Locale.ROOT);
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            if (entry.getKey().toLowerCase(Locale.ROOT).equals(wanted)) {
                JsonNode value = entry.getValue();
                if (!value.isTextual() || value.asText().isEmpty()) {
                    throw new IllegalArgumentException("the session response has no usable " + name);
                }
                return value.asText();
            }
        }
        throw new IllegalArgumentException("the session response has no " + name);
    }

    @Override
    public String toString() {
        return "SessionResponse[sessionId=" + sessionId + ", tokenValue=***, streamUrl=" + streamUrl + "]";
    }
}
