package dev.ssmsession.cli.plugin;

import dev.ssmsession.cli.ClientSessions;
import dev.ssmsession.cli.CliException;
import dev.ssmsession.cli.ExitCodes;
import dev.ssmsession.cli.ReconnectStatus;
import dev.ssmsession.cli.session.Connection;
import dev.ssmsession.cli.terminal.StatusPrintStream;
import dev.ssmsession.client.Session;
import dev.ssmsession.client.SessionInfo;
import dev.ssmsession.client.SessionManager;
import dev.ssmsession.client.SessionRequest;
import dev.ssmsession.client.SessionToken;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.file.Path;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Attaches to the session the AWS CLI started (SPEC §9) through the client library, and picks the view the
 * handshake asks for: shell or command (shell family), a port listener (Port with LocalPortForwarding), or stdio.
 */
final class ClientAttacher implements SessionAttacher {
    /** The agent handshakes within 15 s + 15 s (SPEC §11); a shell without handshake speaks first. */
    private static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(60);

    private final Map<String, String> env;
    private final PrintStream out;
    private final StatusPrintStream status;

    /**
     * @param out    stdout, where the Go plugin prints the agent's message after the handshake
     * @param status stderr: banners, connection events, reconnects
     */
    ClientAttacher(Map<String, String> env, PrintStream out, StatusPrintStream status) {
        this.env = env;
        this.out = out;
        this.status = status;
    }

    @Override
    public Attached attach(PluginInvocation invocation) {
        Connection connection = new Connection(
                invocation.profile().isEmpty() ? Optional.empty() : Optional.of(invocation.profile()),
                invocation.region().isEmpty() ? Optional.empty() : Optional.of(invocation.region()),
                invocation.ssmEndpoint());
        SessionManager manager = ClientSessions.manager(connection, env, new ReconnectStatus(status));
        Session session;
        try {
            SessionResponse response = invocation.response();
            SessionToken token = new SessionToken(response.sessionId(), response.tokenValue(),
                    URI.create(response.streamUrl()));
            // the request's document tells the library whether the agent will handshake (a plain shell does not)
            session = invocation.target().isEmpty() ? manager.open(token, (String) null)
                    : manager.open(token, SessionRequest.builder(invocation.target())
                            .documentName(invocation.documentName().isEmpty() ? null : invocation.documentName()).build());
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
        session.ended().whenComplete((end, failure) -> manager.close());
        try {
            SessionInfo info = session.awaitInfo(HANDSHAKE_TIMEOUT);
            // stdout as the Go plugin does, except for a stdio stream (SSH), whose stdout is the remote's bytes
            ClientSessions.showCustomerMessage(info, info.mode() == SessionInfo.Mode.STDIO ? status : out);
            return view(session, info);
        } catch (RuntimeException e) {
            session.close();
            throw e;
        }
    }

    private Attached view(Session session, SessionInfo info) {
        switch (info.mode()) {
            case SHELL -> {
                if ("NonInteractiveCommands".equals(info.sessionType())) {
                    return new Attached.Command(ClientSessions.command(session.command()));
                }
                // 80x24 until the relay sends the terminal's real size, right after it enters raw mode
                return new Attached.Shell(ClientSessions.shell(session.shell(), status));
            }
            case STDIO -> {
                return new Attached.Stdio(ClientSessions.stdio(session.stdio()));
            }
            default -> {
                return new Attached.Port(ClientSessions.portForward(session.forwardPort(portOptions(session, info))));
            }
        }
    }

    private dev.ssmsession.client.PortForward.Options portOptions(Session session, SessionInfo info) {
        ClientSessions.StatusListener listener = new ClientSessions.StatusListener(session.sessionId(), status);
        if ("unix".equalsIgnoreCase(info.property("localConnectionType").orElse(""))) {
            // SPEC §8.3: listen on the unix socket the caller named, as the Go plugin does.
            String path = info.property("localUnixSocket").orElse("").strip();
            if (path.isEmpty()) {
                throw new CliException("session " + session.sessionId() + " asks for a local unix socket but names "
                        + "none", "pass --parameters localUnixSocket=/path/to/socket", ExitCodes.USAGE, null);
            }
            return dev.ssmsession.client.PortForward.Options.defaults().withUnixSocket(Path.of(path))
                    .withListener(listener);
        }
        String local = info.property("localPortNumber").orElse("").strip();
        int port;
        try {
            port = local.isEmpty() ? 0 : Integer.parseInt(local);
        } catch (NumberFormatException e) {
            throw new CliException("session " + session.sessionId() + " has an invalid localPortNumber '" + local
                    + "'", "pass a number, e.g. --parameters localPortNumber=8080", ExitCodes.USAGE, null);
        }
        return new dev.ssmsession.client.PortForward.Options(InetAddress.getLoopbackAddress(), port, listener);
    }
}
