package dev.ssmsession.cli;

import dev.ssmsession.cli.session.Sessions;

/** The production {@link Sessions}: the client library. */
final class DefaultSessions {
    private DefaultSessions() {}

    static Sessions create() {
        return new ClientSessions(System.getenv());
    }
}
