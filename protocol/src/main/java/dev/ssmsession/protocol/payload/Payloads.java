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

    private static final java.util.concurrent.atomic.AtomicBoolean WARMED = new java.util.concurrent.atomic.AtomicBoolean();

    /**
     * Builds, once per JVM, the (de)serializers of the handshake and control payloads by running canned examples
     * through the mapper. Jackson introspects a record type the first time it meets it, which costs a cold CLI a
     * few hundred milliseconds; done on a spare thread while the data channel connects, the agent's
     * HandshakeRequest is answered without that wait. Failures are ignored: the real payload will tell.
     */
    public static void warmUp() {
        if (!WARMED.compareAndSet(false, true)) {
            return;
        }
        try {
            warmUpExamples();
        } catch (RuntimeException | IOException e) {
            // a warm-up only
        }
    }

    /** The canned examples, each read, turned into a tree and written (the test checks they all parse). */
    static void warmUpExamples() throws IOException {
        {
            roundTrip(HandshakeRequest.class, "{\"AgentVersion\":\"3.3.987.0\",\"RequestedClientActions\":["
                    + "{\"ActionType\":\"SessionType\",\"ActionParameters\":{\"SessionType\":\"Standard_Stream\",\"Properties\":null}},"
                    + "{\"ActionType\":\"KMSEncryption\",\"ActionParameters\":{\"KMSKeyId\":\"k\",\"Challenge\":\"AAAA\"}}]}");
            roundTrip(SessionTypeParameters.class, "{\"SessionType\":\"Port\",\"Properties\":{\"portNumber\":\"22\"}}");
            roundTrip(KmsEncryptionParameters.class, "{\"KMSKeyId\":\"k\",\"Challenge\":\"AAAA\"}");
            roundTrip(PortProperties.class, "{\"portNumber\":\"22\",\"type\":\"LocalPortForwarding\"}");
            roundTrip(HandshakeResponse.class, "{\"ClientVersion\":\"1.2.764.0\",\"ProcessedClientActions\":["
                    + "{\"ActionType\":\"KMSEncryption\",\"ActionStatus\":1,\"ActionResult\":{\"KMSCipherTextKey\":\"AAAA\"},"
                    + "\"Error\":\"\"}],\"Errors\":[]}");
            roundTrip(KmsEncryptionResult.class, "{\"KMSCipherTextKey\":\"AAAA\",\"KMSCipherTextHash\":\"AAAA\"}");
            roundTrip(HandshakeComplete.class, "{\"HandshakeTimeToComplete\":1,\"CustomerMessage\":\"\"}");
            roundTrip(EncryptionChallenge.class, "{\"Challenge\":\"AAAA\"}");
            roundTrip(TerminalSize.class, "{\"cols\":80,\"rows\":24}");
            roundTrip(ChannelClosed.class, "{\"MessageId\":\"m\",\"SessionId\":\"s\",\"Output\":\"\"}");
        }
    }

    private static <T> void roundTrip(Class<T> type, String json) throws IOException {
        T value = MAPPER.readValue(json, type);
        MAPPER.valueToTree(value);
        MAPPER.writeValueAsBytes(value);
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
