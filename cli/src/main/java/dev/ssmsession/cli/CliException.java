package dev.ssmsession.cli;

/**
 * A failure the user can act on: one line saying what went wrong plus a hint saying what to do. Printed
 * without a stack trace (the stack goes to the log file).
 */
public final class CliException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String hint;
    private final int exitCode;

    public CliException(String message, String hint, int exitCode, Throwable cause) {
        super(message, cause);
        this.hint = hint;
        this.exitCode = exitCode;
    }

    public CliException(String message, String hint) {
        this(message, hint, ExitCodes.FAILURE, null);
    }

    public static CliException usage(String message, String hint) {
        return new CliException(message, hint, ExitCodes.USAGE, null);
    }

    /** What to do about it; may be empty. */
    public String hint() {
        return hint == null ? "" : hint;
    }

    public int exitCode() {
        return exitCode;
    }
}
