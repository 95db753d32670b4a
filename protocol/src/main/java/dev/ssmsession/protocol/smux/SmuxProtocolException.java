package dev.ssmsession.protocol.smux;

/**
 * The peer's byte stream is not valid smux (wrong version, unknown command, oversized frame).
 * Fatal for the session: frame boundaries are lost (SPEC §10.2).
 */
public final class SmuxProtocolException extends SmuxException {
    private static final long serialVersionUID = 1L;

    public SmuxProtocolException(String message) {
        super(message);
    }

    public SmuxProtocolException(String message, Throwable cause) {
        super(message, cause);
    }
}
