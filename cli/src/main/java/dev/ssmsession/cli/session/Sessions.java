package dev.ssmsession.cli.session;

import dev.ssmsession.cli.ForwardSpec;
import dev.ssmsession.cli.terminal.RemoteShell;
import dev.ssmsession.cli.terminal.RemoteStream;
import java.io.PrintStream;

/**
 * The session kinds the commands need, over the client library. One seam, so the commands can be tested with an
 * in-memory implementation and the library stays the only place that knows the protocol.
 */
public interface Sessions {
    /** Opens an interactive shell; {@code status} receives the start banner (stderr). */
    RemoteShell shell(Connection connection, SessionSpec spec, PrintStream status);

    RemoteCommand command(Connection connection, SessionSpec spec, PrintStream status);

    RemoteStream stdio(Connection connection, SessionSpec spec);

    /** Binds the local listener, then starts the (first) session; returns once both are up. */
    LocalForward forward(Connection connection, SessionSpec spec, ForwardSpec forward, ForwardOptions options,
                        PrintStream status);

    /**
     * A manager configured from {@code connection} as the sessions are (profile, region, endpoints, proxy, CA
     * bundle), for commands that need the AWS configuration itself ({@code doctor}); the caller closes it.
     */
    default dev.ssmsession.client.SessionManager manager(Connection connection) {
        throw new UnsupportedOperationException("this Sessions has no AWS configuration");
    }
}
