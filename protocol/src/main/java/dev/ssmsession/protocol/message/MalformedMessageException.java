package dev.ssmsession.protocol.message;

/**
 * A frame that is not a valid ClientMessage. The message names the field and the offending value;
 * it never contains payload bytes.
 */
public final class MalformedMessageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String field;

    public MalformedMessageException(String field, String message) {
        super(field + ": " + message);
        this.field = field;
    }

    /** The header field (or {@code "frame"}) that broke a rule. */
    public String field() {
        return field;
    }
}
