package dev.ssmsession.protocol.handshake;

/**
 * The handshake cannot go on: a payload did not parse, arrived in the wrong state, an action failed
 * or the encryption challenge did not verify. The message names the step and the problem, never key
 * material.
 */
public final class HandshakeException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public HandshakeException(String message) {
        super(message);
    }

    public HandshakeException(String message, Throwable cause) {
        super(message, cause);
    }
}
