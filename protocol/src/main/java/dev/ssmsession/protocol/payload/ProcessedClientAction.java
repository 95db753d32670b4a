package dev.ssmsession.protocol.payload;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/**
 * One entry of {@code ProcessedClientActions} (SPEC §4.3). {@code ActionResult} is an object or
 * JSON null; {@code Error} is the empty string on success, as Go emits it.
 */
@JsonPropertyOrder({"ActionType", "ActionStatus", "ActionResult", "Error"})
public record ProcessedClientAction(
        @JsonProperty("ActionType") String actionType,
        @JsonProperty("ActionStatus") ActionStatus actionStatus,
        @JsonProperty("ActionResult") @JsonInclude(JsonInclude.Include.ALWAYS) JsonNode actionResult,
        @JsonProperty("Error") String error) {

    public ProcessedClientAction {
        error = error == null ? "" : error;
    }

    /** A successful action with an optional result object. */
    public static ProcessedClientAction success(String actionType, JsonNode result) {
        return new ProcessedClientAction(actionType, ActionStatus.SUCCESS, result, "");
    }

    /** A failed action; {@code error} must name the problem without secrets. */
    public static ProcessedClientAction failed(String actionType, String error) {
        return new ProcessedClientAction(actionType, ActionStatus.FAILED, null, Objects.requireNonNull(error, "error"));
    }

    /** An action type this client does not know (SPEC §4.3: status 3, not Go's status 0). */
    public static ProcessedClientAction unsupported(String actionType) {
        return new ProcessedClientAction(actionType, ActionStatus.UNSUPPORTED, null, "Unsupported action " + actionType);
    }

    /**
     * The result of a KMSEncryption action.
     *
     * @throws PayloadFormatException if the result is absent or does not parse
     */
    public KmsEncryptionResult kmsEncryptionResult() {
        if (actionResult == null || !actionResult.isObject()) {
            throw new PayloadFormatException(actionType + " ActionResult must be a JSON object, got "
                    + (actionResult == null ? "nothing" : actionResult.getNodeType()));
        }
        return Payloads.fromTree(actionResult, KmsEncryptionResult.class);
    }
}
