package dev.ssmsession.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Document parameters as StartSession takes them (name → list of strings), from {@code --parameters JSON} (the
 * AWS CLI's shape, where a plain string also counts as a one-element list) and repeated {@code --parameter k=v}.
 */
final class SessionParameters {
    private static final ObjectMapper JSON = new ObjectMapper();

    private SessionParameters() {}

    static Map<String, List<String>> merge(String json, List<String> pairs) {
        Map<String, List<String>> result = new LinkedHashMap<>();
        if (json != null) {
            result.putAll(parseJson(json));
        }
        Map<String, List<String>> fromPairs = new LinkedHashMap<>();
        for (String pair : pairs) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("invalid --parameter '" + pair + "': expected name=value");
            }
            fromPairs.computeIfAbsent(pair.substring(0, eq), k -> new ArrayList<>()).add(pair.substring(eq + 1));
        }
        fromPairs.forEach((k, v) -> result.put(k, List.copyOf(v)));
        return result;
    }

    static Map<String, List<String>> parseJson(String json) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("invalid --parameters: not JSON (" + e.getOriginalMessage() + ")");
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException(
                    "invalid --parameters: expected a JSON object such as {\"portNumber\":[\"80\"]}");
        }
        Map<String, List<String>> result = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            JsonNode value = field.getValue();
            List<String> values = new ArrayList<>();
            if (value.isArray()) {
                for (JsonNode element : value) {
                    values.add(scalar(field.getKey(), element));
                }
            } else {
                values.add(scalar(field.getKey(), value));
            }
            result.put(field.getKey(), List.copyOf(values));
        }
        return result;
    }

    private static String scalar(String name, JsonNode node) {
        if (!node.isValueNode() || node.isNull()) {
            throw new IllegalArgumentException("invalid --parameters: '" + name
                    + "' must be a string or a list of strings");
        }
        return node.asText();
    }
}
