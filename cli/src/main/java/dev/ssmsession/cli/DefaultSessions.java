package dev.ssmsession.cli;

import dev.ssmsession.cli.session.Sessions;
import dev.ssmsession.cli.terminal.StatusPrintStream;

/** The production {@link Sessions}: the client library. */
public final class DefaultSessions {
    private DefaultSessions() {}

    public static Sessions create(StatusPrintStream status) {
        return create(System.getenv(), status);
    }

    /** With an environment of the caller's (the start-up training points it at the embedded testkit). */
    public static Sessions create(java.util.Map<String, String> env, StatusPrintStream status) {
        return new ClientSessions(env, status);
    }
}
