package dev.ssmsession.cli;

/** Process exit statuses of both entry points (picocli conventions for 1 and 2). */
public final class ExitCodes {
    /** Success, or a session that ended without reporting an exit code. */
    public static final int OK = 0;
    /** A runtime failure: the session could not be opened, or broke. */
    public static final int FAILURE = 1;
    /** Bad command-line arguments. */
    public static final int USAGE = 2;

    /** Given up on after a second Ctrl-C (128 + SIGINT, as shells report it). */
    public static final int INTERRUPTED = 130;

    private ExitCodes() {}
}
