package dev.ssmsession.cli;

import dev.ssmsession.cli.session.Sessions;
import dev.ssmsession.cli.terminal.StatusPrintStream;

/** The production {@link Sessions}: the client library. */
final class DefaultSessions {
    private DefaultSessions() {}

    static Sessions create(StatusPrintStream status) {
        return new ClientSessions(System.getenv(), status);
    }
}
