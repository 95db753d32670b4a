package dev.ssmsession.protocol.payload;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;

/**
 * JSON mapping for the payload records (SPEC §3.7): exact-case names out, unknown fields ignored
 * in, names matched case-insensitively in (Go's decoder does, and ECS hands camelCase keys).
 */
public final class Payloads {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_PROPERTIES)
            .build();

    private Payloads() {
    }

    /** The shared, configured mapper. Do not reconfigure it. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /** Serializes a payload record to UTF-8 JSON. */
    public static byte[] toJson(Object payload) {
        try {
            return MAPPER.writeValueAsBytes(payload);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot serialize " + payload.getClass().getSimpleName(), e);
        }
    }

    /**
     * Parses UTF-8 JSON into a payload record.
     *
     * @throws PayloadFormatException naming the type and the parser's complaint (not the bytes)
     */
    public static <T> T fromJson(byte[] json, Class<T> type) {
        try {
            T value = MAPPER.readValue(json, type);
            if (value == null) {
                throw new PayloadFormatException(type.getSimpleName() + " payload is JSON null");
            }
            return value;
        } catch (IOException e) {
            throw new PayloadFormatException("invalid " + type.getSimpleName() + " JSON: " + firstLine(e.getMessage()), e);
        }
    }

    /**
     * Converts an already-parsed JSON tree (e.g. handshake {@code ActionParameters}) into a record,
     * with the same name matching as {@link #fromJson}.
     *
     * @throws PayloadFormatException naming the type and the problem
     */
    public static <T> T fromTree(JsonNode tree, Class<T> type) {
        try {
            T value = MAPPER.treeToValue(tree, type);
            if (value == null) {
                throw new PayloadFormatException(type.getSimpleName() + " is JSON null");
            }
            return value;
        } catch (IOException | IllegalArgumentException e) {
            throw new PayloadFormatException("invalid " + type.getSimpleName() + " JSON: " + firstLine(e.getMessage()), e);
        }
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unreadable";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
