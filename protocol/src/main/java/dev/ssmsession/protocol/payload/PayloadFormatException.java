package dev.ssmsession.protocol.payload;

/** A payload that is not the JSON (or binary form) its payload type requires. Never carries payload bytes. */
public final class PayloadFormatException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public PayloadFormatException(String message) {
        super(message);
    }

    public PayloadFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
