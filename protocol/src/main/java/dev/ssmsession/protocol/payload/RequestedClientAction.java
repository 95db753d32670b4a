package dev.ssmsession.protocol.payload;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import java.util.Objects;
import java.util.Optional;

/**
 * One entry of {@code RequestedClientActions} (SPEC §4.2). The action type is raw text and the
 * parameters a tree, so that actions unknown to this client still parse and can be answered
 * "Unsupported"; typed access is offered for the two known kinds.
 */
@JsonPropertyOrder({"ActionType", "ActionParameters"})
public record RequestedClientAction(
        @JsonProperty("ActionType") String actionType,
        @JsonProperty("ActionParameters") JsonNode actionParameters) {

    /** A SessionType action; {@code properties} may be {@code null} (sent as JSON null, as for shells). */
    public static RequestedClientAction sessionType(SessionType type, JsonNode properties) {
        Objects.requireNonNull(type, "type");
        return new RequestedClientAction(ActionType.SESSION_TYPE.wire(),
                Payloads.mapper().valueToTree(new SessionTypeParameters(type.wire(),
                        properties == null ? NullNode.getInstance() : properties)));
    }

    /** A KMSEncryption action; {@code challenge} is base64 text or {@code null} to omit it. */
    public static RequestedClientAction kmsEncryption(String kmsKeyId, String challenge) {
        Objects.requireNonNull(kmsKeyId, "kmsKeyId");
        return new RequestedClientAction(ActionType.KMS_ENCRYPTION.wire(),
                Payloads.mapper().valueToTree(new KmsEncryptionParameters(kmsKeyId, challenge)));
    }

    /** The action type, if this implementation knows it. */
    public Optional<ActionType> knownActionType() {
        return ActionType.fromWire(actionType);
    }

    /**
     * The parameters of a SessionType action.
     *
     * @throws PayloadFormatException if this is another action type or the parameters do not parse
     */
    public SessionTypeParameters sessionTypeParameters() {
        return parameters(ActionType.SESSION_TYPE, SessionTypeParameters.class);
    }

    /**
     * The parameters of a KMSEncryption action.
     *
     * @throws PayloadFormatException if this is another action type or the parameters do not parse
     */
    public KmsEncryptionParameters kmsEncryptionParameters() {
        return parameters(ActionType.KMS_ENCRYPTION, KmsEncryptionParameters.class);
    }

    private <T> T parameters(ActionType expected, Class<T> type) {
        if (!expected.wire().equals(actionType)) {
            throw new PayloadFormatException("action " + actionType + " has no " + type.getSimpleName());
        }
        if (actionParameters == null || !actionParameters.isObject()) {
            throw new PayloadFormatException(actionType + " ActionParameters must be a JSON object, got "
                    + (actionParameters == null ? "nothing" : actionParameters.getNodeType()));
        }
        return Payloads.fromTree(actionParameters, type);
    }
}
