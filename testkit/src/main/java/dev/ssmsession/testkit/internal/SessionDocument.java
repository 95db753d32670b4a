package dev.ssmsession.testkit.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The Session Manager documents the testkit serves, with the agent plugin each one runs and the
 * parameters it takes (names, defaults and which are required follow the public AWS documents).
 */
public enum SessionDocument {
    RUN_SHELL("SSM-SessionManagerRunShell", "Standard_Stream", Map.of(), Set.of()),
    INTERACTIVE_COMMAND("AWS-StartInteractiveCommand", "InteractiveCommands", Map.of(), Set.of("command")),
    NON_INTERACTIVE_COMMAND("AWS-StartNonInteractiveCommand", "NonInteractiveCommands", Map.of(), Set.of("command")),
    PORT_FORWARDING("AWS-StartPortForwardingSession", "Port",
            Map.of("portNumber", "80", "localPortNumber", ""), Set.of()),
    PORT_FORWARDING_REMOTE_HOST("AWS-StartPortForwardingSessionToRemoteHost", "Port",
            Map.of("portNumber", "80", "localPortNumber", ""), Set.of("host")),
    SSH("AWS-StartSSHSession", "Port", Map.of("portNumber", "22"), Set.of()),
    /**
     * A custom document of the kind users write to have the client listen on a unix domain socket
     * ({@code localConnectionType unix}, SPEC §8.3); AWS publishes none, so the name is the testkit's.
     */
    PORT_FORWARDING_UNIX_SOCKET("Testkit-StartPortForwardingSessionToUnixSocket", "Port",
            Map.of("portNumber", "80"), Set.of("localUnixSocket"));

    private final String documentName;
    private final String sessionType;
    private final Map<String, String> defaults;
    private final Set<String> required;

    SessionDocument(String documentName, String sessionType, Map<String, String> defaults, Set<String> required) {
        this.documentName = documentName;
        this.sessionType = sessionType;
        this.defaults = defaults;
        this.required = required;
    }

    public String documentName() {
        return documentName;
    }

    /** The SessionType the agent announces in its handshake (SPEC §4.2). */
    public String sessionType() {
        return sessionType;
    }

    /** Shell-family documents handshake only when KMS is on; the others always (SPEC §4.1). */
    public boolean requiresHandshake() {
        return this == NON_INTERACTIVE_COMMAND || "Port".equals(sessionType);
    }

    public static Optional<SessionDocument> byName(String name) {
        String n = name == null ? RUN_SHELL.documentName : name;
        for (SessionDocument d : values()) {
            if (d.documentName.equals(n)) {
                return Optional.of(d);
            }
        }
        return Optional.empty();
    }

    /**
     * Validates StartSession {@code Parameters} (each a list of strings, one value used) and fills
     * defaults.
     *
     * @throws AwsError {@code ValidationException} naming an unknown or missing parameter
     */
    public Map<String, String> resolve(Map<String, List<String>> parameters) {
        Map<String, String> out = new LinkedHashMap<>(defaults);
        for (Map.Entry<String, List<String>> e : parameters.entrySet()) {
            if (!defaults.containsKey(e.getKey()) && !required.contains(e.getKey())) {
                throw AwsError.validation("Parameter '" + e.getKey() + "' is not defined in document " + documentName);
            }
            if (e.getValue().size() != 1) {
                throw AwsError.validation("Parameter '" + e.getKey() + "' of document " + documentName
                        + " takes one value, got " + e.getValue().size());
            }
            out.put(e.getKey(), e.getValue().get(0));
        }
        for (String r : required) {
            if (out.get(r) == null || out.get(r).isBlank()) {
                throw AwsError.validation("Parameter '" + r + "' is required by document " + documentName);
            }
        }
        if (out.containsKey("portNumber")) {
            requirePort("portNumber", out.get("portNumber"), false);
        }
        if (out.containsKey("localPortNumber")) {
            requirePort("localPortNumber", out.get("localPortNumber"), true);
        }
        return out;
    }

    private void requirePort(String name, String value, boolean mayBeEmpty) {
        if (mayBeEmpty && value.isEmpty()) {
            return;
        }
        try {
            int p = Integer.parseInt(value);
            if (p >= 0 && p <= 65535) {
                return;
            }
        } catch (NumberFormatException e) {
            // fall through
        }
        throw AwsError.validation("Parameter '" + name + "' of document " + documentName + " is not a port number: " + value);
    }

    /** The handshake {@code Properties} of a Port document, after parameter substitution (SPEC §4.2). */
    public Map<String, String> portProperties(Map<String, String> resolved) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("portNumber", resolved.get("portNumber"));
        if (this == PORT_FORWARDING || this == PORT_FORWARDING_REMOTE_HOST) {
            p.put("type", "LocalPortForwarding");
            p.put("localPortNumber", resolved.get("localPortNumber"));
        }
        if (this == PORT_FORWARDING_UNIX_SOCKET) {
            p.put("type", "LocalPortForwarding");
            p.put("localConnectionType", "unix");
            p.put("localUnixSocket", resolved.get("localUnixSocket"));
        }
        if (this == PORT_FORWARDING_REMOTE_HOST) {
            p.put("host", resolved.get("host"));
        }
        return p;
    }
}
