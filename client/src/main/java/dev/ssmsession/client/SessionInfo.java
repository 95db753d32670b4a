package dev.ssmsession.client;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What the handshake revealed about an opened session (SPEC §4): its type, the agent's version and
 * the Port properties, plus what this client will do with it. For handshake-less shells (SPEC §4.1)
 * the type is {@code Standard_Stream} and the agent version is unknown (empty).
 *
 * @param sessionId       the session id
 * @param sessionType     the wire value: {@code Standard_Stream}, {@code Port},
 *                        {@code InteractiveCommands} or {@code NonInteractiveCommands}
 * @param agentVersion    the agent's version, empty when it did not say
 * @param properties      the Port session's properties (string values), empty for shells
 * @param encrypted       whether KMS encryption was negotiated
 * @param customerMessage the agent's {@code CustomerMessage} from HandshakeComplete (SPEC §4.4), meant for the person
 *                        using the session: {@code "This session is encrypted using AWS KMS."} for a KMS-encrypted
 *                        one, or a notice such as an upgrade hint. The Go plugin prints it on stdout; this library
 *                        prints nothing, so show it where your users look. Empty when the agent sent none (and for
 *                        handshake-less shells)
 * @param mode            how the client serves the session (SPEC §8.2)
 */
public record SessionInfo(String sessionId, String sessionType, String agentVersion, Map<String, String> properties,
                          boolean encrypted, String customerMessage, Mode mode) {
    /** How the client serves a session, chosen by SPEC §8.2. */
    public enum Mode {
        /** Shell family: terminal/command byte streams with Size, StdErr and ExitCode. */
        SHELL,
        /** Port session, one TCP connection at a time (old agents). */
        PORT_BASIC,
        /** Port session multiplexed with smux (agent > 3.0.196.0). */
        PORT_MUX,
        /** Port session without {@code LocalPortForwarding}: raw bytes both ways (SSH ProxyCommand). */
        STDIO
    }

    public SessionInfo {
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(sessionType, "sessionType");
        Objects.requireNonNull(agentVersion, "agentVersion");
        properties = Map.copyOf(properties);
        Objects.requireNonNull(customerMessage, "customerMessage");
        Objects.requireNonNull(mode, "mode");
    }

    public Optional<String> property(String name) {
        return Optional.ofNullable(properties.get(name));
    }
}
