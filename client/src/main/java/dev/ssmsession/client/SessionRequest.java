package dev.ssmsession.client;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The input of {@code StartSession}: a target, an optional document with its parameters, and an
 * optional reason. Immutable; build with {@link #builder(String)}.
 */
public final class SessionRequest {
    /** The default shell document. */
    public static final String SHELL_DOCUMENT = "SSM-SessionManagerRunShell";
    public static final String NON_INTERACTIVE_COMMAND_DOCUMENT = "AWS-StartNonInteractiveCommand";
    public static final String INTERACTIVE_COMMAND_DOCUMENT = "AWS-StartInteractiveCommand";
    public static final String PORT_FORWARDING_DOCUMENT = "AWS-StartPortForwardingSession";
    public static final String PORT_FORWARDING_TO_REMOTE_HOST_DOCUMENT = "AWS-StartPortForwardingSessionToRemoteHost";
    public static final String SSH_DOCUMENT = "AWS-StartSSHSession";

    private final String target;
    private final String documentName;
    private final Map<String, List<String>> parameters;
    private final String reason;

    private SessionRequest(Builder b) {
        this.target = b.target;
        this.documentName = b.documentName;
        this.parameters = Map.copyOf(b.parameters);
        this.reason = b.reason;
    }

    public static Builder builder(String target) {
        return new Builder(target);
    }

    /** A shell on the target with the account's default shell document. */
    public static SessionRequest shell(String target) {
        return builder(target).build();
    }

    /** {@code AWS-StartNonInteractiveCommand} with {@code command}. */
    public static SessionRequest command(String target, String command) {
        return builder(target).documentName(NON_INTERACTIVE_COMMAND_DOCUMENT).parameter("command", command).build();
    }

    /** {@code AWS-StartPortForwardingSession} (or {@code …ToRemoteHost} when {@code host} is given). */
    public static SessionRequest portForwarding(String target, String host, int remotePort) {
        Builder b = builder(target).parameter("portNumber", Integer.toString(remotePort));
        if (host == null) {
            b.documentName(PORT_FORWARDING_DOCUMENT);
        } else {
            b.documentName(PORT_FORWARDING_TO_REMOTE_HOST_DOCUMENT).parameter("host", host);
        }
        return b.build();
    }

    /** {@code AWS-StartSSHSession}: a stdio stream to {@code port} on the target (SSH ProxyCommand). */
    public static SessionRequest stdio(String target, int port) {
        return builder(target).documentName(SSH_DOCUMENT).parameter("portNumber", Integer.toString(port)).build();
    }

    public String target() {
        return target;
    }

    public Optional<String> documentName() {
        return Optional.ofNullable(documentName);
    }

    public Map<String, List<String>> parameters() {
        return parameters;
    }

    public Optional<String> reason() {
        return Optional.ofNullable(reason);
    }

    public Builder toBuilder() {
        Builder b = new Builder(target);
        b.documentName = documentName;
        b.parameters.putAll(parameters);
        b.reason = reason;
        return b;
    }

    @Override
    public String toString() {
        return "SessionRequest[target=" + target + ", document=" + documentName + ", parameters=" + parameters.keySet() + "]";
    }

    public static final class Builder {
        private final String target;
        private String documentName;
        private final Map<String, List<String>> parameters = new LinkedHashMap<>();
        private String reason;

        private Builder(String target) {
            if (target == null || target.isBlank()) {
                throw new IllegalArgumentException("target must not be empty");
            }
            this.target = target;
        }

        public Builder documentName(String documentName) {
            this.documentName = documentName;
            return this;
        }

        public Builder parameter(String name, String... values) {
            parameters.put(Objects.requireNonNull(name, "name"), List.of(values));
            return this;
        }

        public Builder parameters(Map<String, List<String>> parameters) {
            parameters.forEach((k, v) -> this.parameters.put(k, List.copyOf(v)));
            return this;
        }

        public Builder reason(String reason) {
            this.reason = reason;
            return this;
        }

        public SessionRequest build() {
            return new SessionRequest(this);
        }
    }
}
