package dev.ssmsession.cli.plugin;

import dev.ssmsession.protocol.json.Json;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The StartSession (or ECS ExecuteCommand) response the AWS CLI hands the plugin. Keys are matched
 * case-insensitively: the SSM CLI sends {@code SessionId}, ECS Exec sends {@code sessionId} (SPEC §9).
 * {@link #toString()} never shows the token.
 */
public record SessionResponse(String sessionId, String tokenValue, String streamUrl) {
    public SessionResponse {
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(tokenValue, "tokenValue");
        Objects.requireNonNull(streamUrl, "streamUrl");
    }

    /** Parses the response JSON; the message of the exception names the problem, never the token. */
    public static SessionResponse parse(String json) {
        Object root;
        try {
            root = Json.parse(json);
        } catch (Json.Malformed e) {
            throw new IllegalArgumentException("the session response is not valid JSON (" + e.getMessage() + ")");
        }
        if (!(root instanceof Map<?, ?> fields)) {
            throw new IllegalArgumentException("the session response must be a JSON object");
        }
        return new SessionResponse(field(fields, "SessionId"), field(fields, "TokenValue"), field(fields, "StreamUrl"));
    }

    private static String field(Map<?, ?> fields, String name) {
        String wanted = name.toLowerCase(Locale.ROOT);
        for (Map.Entry<?, ?> entry : fields.entrySet()) {
            if (((String) entry.getKey()).toLowerCase(Locale.ROOT).equals(wanted)) {
                if (!(entry.getValue() instanceof String value) || value.isEmpty()) {
                    throw new IllegalArgumentException("the session response has no usable " + name);
                }
                return value;
            }
        }
        throw new IllegalArgumentException("the session response has no " + name);
    }

    @Override
    public String toString() {
        return new StringBuilder("SessionResponse[sessionId=").append(sessionId).append(", tokenValue=***, streamUrl=")
                .append(streamUrl).append(']').toString();
    }
}
