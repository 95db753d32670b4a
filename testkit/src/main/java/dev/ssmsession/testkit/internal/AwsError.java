package dev.ssmsession.testkit.internal;

/**
 * An AWS JSON 1.1 error: the {@code __type} the SDK maps to a typed exception and a message. The
 * message names the offending value, never a token or key.
 */
public final class AwsError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String type;
    private final int status;

    public AwsError(String type, String message) {
        this(type, 400, message);
    }

    public AwsError(String type, int status, String message) {
        super(message);
        this.type = type;
        this.status = status;
    }

    public static AwsError validation(String message) {
        return new AwsError("ValidationException", message);
    }

    public String type() {
        return type;
    }

    public int status() {
        return status;
    }
}
