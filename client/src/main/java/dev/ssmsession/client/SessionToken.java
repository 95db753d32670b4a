package dev.ssmsession.client;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ssmsession.protocol.payload.Payloads;

import java.io.IOException;
import java.net.URI;
import java.util.Map;
import java.util.Objects;

/**
 * What {@code StartSession} (or ECS {@code ExecuteCommand}) returns: enough to open the data
 * channel. {@link #toString()} never shows the token.
 *
 * @param sessionId  the session id
 * @param tokenValue the single-use token sent in OpenDataChannel (SPEC §1.3); secret
 * @param streamUrl  the {@code wss://} URL of the data channel
 */
public record SessionToken(String sessionId, String tokenValue, URI streamUrl) {
    public SessionToken {
        requireText(sessionId, "SessionId");
        requireText(tokenValue, "TokenValue");
        Objects.requireNonNull(streamUrl, "StreamUrl");
        String scheme = streamUrl.getScheme();
        if (scheme == null || !(scheme.equalsIgnoreCase("wss") || scheme.equalsIgnoreCase("ws"))) {
            throw new SessionException(SessionException.Reason.CONFIGURATION,
                    "StreamUrl must be a wss:// (or ws://) URL, got scheme " + scheme + " in session " + sessionId);
        }
        if (streamUrl.getHost() == null) {
            // Else the first connect fails deep in the socket code with "hostname can't be null".
            throw new SessionException(SessionException.Reason.CONFIGURATION,
                    "StreamUrl of session " + sessionId + " has no host name: " + streamUrl);
        }
    }

    /**
     * Parses the JSON the AWS CLI hands the plugin (SPEC §9): {@code SessionId}, {@code TokenValue},
     * {@code StreamUrl}, keys matched case-insensitively because ECS Exec sends camelCase.
     *
     * @throws SessionException naming the missing key when the JSON is unusable
     */
    public static SessionToken fromJson(String json) {
        Objects.requireNonNull(json, "json");
        JsonNode root;
        try {
            root = Payloads.mapper().readTree(json);
        } catch (IOException e) {
            // The parser's message may quote the input, and the input holds the token.
            throw new SessionException(SessionException.Reason.CONFIGURATION,
                    "StartSession response is not valid JSON (" + json.length() + " characters)");
        }
        if (root == null || !root.isObject()) {
            throw new SessionException(SessionException.Reason.CONFIGURATION,
                    "StartSession response must be a JSON object with SessionId, TokenValue and StreamUrl");
        }
        String id = field(root, "SessionId");
        String token = field(root, "TokenValue");
        String url = field(root, "StreamUrl");
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new SessionException(SessionException.Reason.CONFIGURATION,
                    "StreamUrl of session " + id + " is not a valid URL: " + e.getMessage());
        }
        return new SessionToken(id, token, uri);
    }

    private static String field(JsonNode root, String name) {
        for (Map.Entry<String, JsonNode> e : root.properties()) {
            if (e.getKey().equalsIgnoreCase(name) && e.getValue().isTextual() && !e.getValue().asText().isEmpty()) {
                return e.getValue().asText();
            }
        }
        throw new SessionException(SessionException.Reason.CONFIGURATION,
                "StartSession response has no " + name + " (keys are matched case-insensitively)");
    }

    private static void requireText(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new SessionException(SessionException.Reason.CONFIGURATION, name + " must not be empty");
        }
    }

    /** The same session with the token from a {@code ResumeSession}. */
    public SessionToken withToken(String newToken) {
        return new SessionToken(sessionId, newToken, streamUrl);
    }

    @Override
    public String toString() {
        return "SessionToken[sessionId=" + sessionId + ", tokenValue=<hidden>, streamUrl=" + streamUrl + "]";
    }
}
