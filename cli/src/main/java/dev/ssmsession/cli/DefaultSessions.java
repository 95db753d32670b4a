package dev.ssmsession.cli;

import dev.ssmsession.cli.session.Connection;
import dev.ssmsession.cli.session.PortForward;
import dev.ssmsession.cli.session.RemoteCommand;
import dev.ssmsession.cli.session.SessionSpec;
import dev.ssmsession.cli.session.Sessions;
import dev.ssmsession.cli.terminal.RemoteShell;
import dev.ssmsession.cli.terminal.RemoteStream;
import java.io.PrintStream;

/** The production {@link Sessions}. Transitional: the client library's session kinds are not merged yet. */
final class DefaultSessions implements Sessions {
    static Sessions create() {
        return new DefaultSessions();
    }

    private static CliException notYet() {
        return new CliException("this build has no session support yet (the client library is not merged)",
                "build from a main branch that contains the client module");
    }

    @Override
    public RemoteShell shell(Connection connection, SessionSpec spec, PrintStream status) {
        throw notYet();
    }

    @Override
    public RemoteCommand command(Connection connection, SessionSpec spec, PrintStream status) {
        throw notYet();
    }

    @Override
    public RemoteStream stdio(Connection connection, SessionSpec spec) {
        throw notYet();
    }

    @Override
    public PortForward forward(Connection connection, SessionSpec spec, ForwardSpec forward, PrintStream status) {
        throw notYet();
    }
}
