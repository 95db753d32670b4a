package dev.ssmsession.protocol.smux;

/**
 * A smux session or stream cannot go on: closed, failed, keepalive timeout, ids exhausted. The
 * message names the stream and the reason; it never contains stream data.
 */
public class SmuxException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public SmuxException(String message) {
        super(message);
    }

    public SmuxException(String message, Throwable cause) {
        super(message, cause);
    }
}
