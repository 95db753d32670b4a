package dev.ssmsession.protocol.smux;

import java.util.Optional;

/**
 * Session-level events of a {@link SmuxSession}. Called synchronously under the owner's lock:
 * must not block.
 */
public interface SmuxSessionHandler {

    /**
     * The peer opened {@code stream} (SYN). Return the listener for its events, or {@code null} to
     * refuse it: the session then answers with FIN (smux has no reset, SPEC §10.6). The default
     * refuses every stream, which suits the Session Manager client: only the agent accepts.
     */
    default SmuxStreamListener onAccept(SmuxStream stream) {
        return null;
    }

    /** The session ended: empty after {@link SmuxSession#close()}, else the failure. Called once. */
    default void onClosed(Optional<SmuxException> error) {
    }
}
