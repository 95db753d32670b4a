package dev.ssmsession.cli;

import dev.ssmsession.cli.internal.Streams;
import dev.ssmsession.cli.session.Connection;
import dev.ssmsession.cli.session.ForwardOptions;
import dev.ssmsession.cli.session.LocalForward;
import dev.ssmsession.cli.session.RemoteCommand;
import dev.ssmsession.cli.session.SessionSpec;
import dev.ssmsession.cli.session.Sessions;
import dev.ssmsession.cli.terminal.RemoteShell;
import dev.ssmsession.cli.terminal.RemoteStream;
import dev.ssmsession.cli.terminal.StatusPrintStream;
import dev.ssmsession.client.ConnectionListener;
import dev.ssmsession.client.PortForwardListener;
import dev.ssmsession.client.Session;
import dev.ssmsession.client.SessionInfo;
import dev.ssmsession.client.SessionException;
import dev.ssmsession.client.SessionEnd;
import dev.ssmsession.client.SessionManager;
import dev.ssmsession.client.SessionRequest;
import dev.ssmsession.client.CommandSession;
import dev.ssmsession.client.ShellSession;
import dev.ssmsession.client.StdioSession;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * {@link Sessions} over the client library: one {@link SessionManager} per session, closed when it ends. Status
 * (reconnects, the agent's message after the handshake) goes to the status stream, stderr.
 */
public final class ClientSessions implements Sessions {
    private static final Logger LOG = LoggerFactory.getLogger(ClientSessions.class);
    /**
     * After stdin ended with nothing back yet, how long a stdio session gets, once its handshake is done, for the
     * agent to report that it could not reach the port (it dials right after the handshake, SPEC §8.5).
     */
    static final Duration DIAL_REPORT_GRACE = Duration.ofSeconds(2);
    /** The agent handshakes within 15 s + 15 s (SPEC §11): the bound on waiting for it after stdin ended. */
    static final Duration HANDSHAKE_BOUND = Duration.ofSeconds(30);

    private final Map<String, String> env;
    private final StatusPrintStream status;

    ClientSessions(Map<String, String> env, StatusPrintStream status) {
        this.env = env;
        this.status = status;
    }

    /** A manager without status output (tests, tools). */
    public static SessionManager manager(Connection connection, Map<String, String> env) {
        return manager(connection, env, null);
    }

    /** A manager whose sessions report reconnects to {@code listener} (null: nobody). */
    public static SessionManager manager(Connection connection, Map<String, String> env, ConnectionListener listener) {
        SessionManager.Builder builder = SessionManager.builder()
                .environment(connection.isolated() ? Map.of() : env)
                .clientVersion(Version.pluginCompat())
                .connectionListener(listener);
        connection.profile().ifPresent(builder::profile);
        connection.region().ifPresent(builder::region);
        connection.endpointUrl().ifPresent(builder::ssmEndpoint);
        connection.kmsEndpoint().ifPresent(builder::kmsEndpoint);
        connection.credentials().ifPresent(c -> {
            AwsCredentials credentials = c.sessionToken() == null
                    ? AwsBasicCredentials.create(c.accessKeyId(), c.secretAccessKey())
                    : AwsSessionCredentials.create(c.accessKeyId(), c.secretAccessKey(), c.sessionToken());
            builder.credentialsProvider(StaticCredentialsProvider.create(credentials));
        });
        return builder.build();
    }

    @Override
    public SessionManager manager(Connection connection) {
        return manager(connection, env);
    }

    static SessionRequest request(SessionSpec spec) {
        SessionRequest.Builder builder = SessionRequest.builder(spec.target()).parameters(spec.parameters());
        spec.documentName().ifPresent(builder::documentName);
        spec.reason().ifPresent(builder::reason);
        return builder.build();
    }

    private Session start(Connection connection, SessionSpec spec, PrintStream banner) {
        SessionManager manager = manager(connection, env, new ReconnectStatus(status));
        try {
            Session session = manager.start(request(spec));
            session.ended().whenComplete((end, failure) -> manager.close());
            if (banner != null) {
                banner.print("\nStarting session with SessionId: " + session.sessionId() + "\n");
                banner.flush();
            }
            session.info().thenAccept(info -> showCustomerMessage(info, status));
            return session;
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    @Override
    public RemoteShell shell(Connection connection, SessionSpec spec, PrintStream status) {
        Session session = start(connection, spec, status);
        return shell(session.shell(), status);
    }

    /** A shell view; StdErr payloads (rare in a PTY shell) go to the status stream so nothing is lost. */
    public static RemoteShell shell(ShellSession shell, PrintStream status) {
        Thread stderr = new Thread(() -> copyQuietly(shell.stderr(), status), "ssm-session-remote-stderr");
        stderr.setDaemon(true);
        stderr.start();
        return new RemoteShell() {
            @Override
            public String sessionId() {
                return shell.sessionId();
            }

            @Override
            public OutputStream input() {
                return shell.stdin();
            }

            @Override
            public InputStream output() {
                return shell.stdout();
            }

            @Override
            public void resize(int cols, int rows) {
                shell.resize(cols, rows);
            }

            @Override
            public CompletableFuture<OptionalInt> completion() {
                return shell.ended().thenApply(SessionEnd::exitCode);
            }

            @Override
            public void terminate() {
                shell.close();
            }
        };
    }

    @Override
    public RemoteCommand command(Connection connection, SessionSpec spec, PrintStream status) {
        return command(start(connection, spec, null).command());
    }

    public static RemoteCommand command(CommandSession command) {
        return new RemoteCommand() {
            @Override
            public String sessionId() {
                return command.sessionId();
            }

            @Override
            public InputStream stdout() {
                return command.stdout();
            }

            @Override
            public InputStream stderr() {
                return command.stderr();
            }

            @Override
            public CompletableFuture<OptionalInt> completion() {
                return command.ended().thenApply(SessionEnd::exitCode);
            }

            @Override
            public void interrupt() {
                try {
                    command.stdin().write(0x03);
                    command.stdin().flush();
                } catch (IOException e) {
                    LOG.debug("interrupt not sent: {}", e.toString());
                }
            }

            @Override
            public void terminate() {
                command.close();
            }
        };
    }

    @Override
    public RemoteStream stdio(Connection connection, SessionSpec spec) {
        return stdio(start(connection, spec, null).stdio());
    }

    /**
     * A stdio view. A session the remote ends before sending a single byte never reached its port (the agent closes
     * the channel when it cannot dial, SPEC §8.5): that completes exceptionally with the service's reason, so ssh
     * users see why instead of a silent exit 0 and "Connection closed by remote host".
     */
    public static RemoteStream stdio(StdioSession stdio) {
        AtomicBoolean received = new AtomicBoolean();
        CompletableFuture<Void> answered = new CompletableFuture<>();
        InputStream output = new FilterInputStream(stdio.stdout()) {
            @Override
            public int read() throws IOException {
                int b = super.read();
                if (b >= 0 && received.compareAndSet(false, true)) {
                    answered.complete(null);
                }
                return b;
            }

            @Override
            public int read(byte[] buffer, int offset, int length) throws IOException {
                int n = super.read(buffer, offset, length);
                if (n > 0 && received.compareAndSet(false, true)) {
                    answered.complete(null);
                }
                return n;
            }
        };
        // Settled: the port answered, the session ended (the agent's refusal ends it), or the agent had its time.
        stdio.ended().whenComplete((end, failure) -> answered.complete(null));
        stdio.session().info().whenComplete((info, failure) -> CompletableFuture.delayedExecutor(
                DIAL_REPORT_GRACE.toMillis(), TimeUnit.MILLISECONDS).execute(() -> answered.complete(null)));
        CompletableFuture.delayedExecutor(HANDSHAKE_BOUND.toMillis(), TimeUnit.MILLISECONDS)
                .execute(() -> answered.complete(null));
        return new RemoteStream() {
            @Override
            public String sessionId() {
                return stdio.sessionId();
            }

            @Override
            public OutputStream input() {
                return stdio.stdin();
            }

            @Override
            public InputStream output() {
                return output;
            }

            @Override
            public CompletableFuture<Void> settled() {
                return answered;
            }

            @Override
            public CompletableFuture<OptionalInt> completion() {
                return stdio.ended().thenApply(end -> {
                    if (!end.closedLocally() && !received.get()) {
                        throw new CliException(end.message(), "the session ended before anything came back: check "
                                + "that something listens on that port on the target (for SSH: that sshd runs)");
                    }
                    return end.exitCode();
                });
            }

            @Override
            public void terminate() {
                stdio.close();
            }
        };
    }

    @Override
    public LocalForward forward(Connection connection, SessionSpec spec, ForwardSpec forward, ForwardOptions options,
                               PrintStream status) {
        InetAddress bind;
        try {
            bind = InetAddress.getByName(forward.bindAddress());
        } catch (UnknownHostException e) {
            throw CliException.usage("invalid forward '" + forward + "': unknown bind address "
                    + forward.bindAddress(), "");
        }
        // One manager for the forward's sessions (it may open more as connections overlap), closed when it ends.
        SessionManager manager = manager(connection, env, new ReconnectStatus(this.status));
        try {
            dev.ssmsession.client.PortForward running = manager.forwardPort(request(spec),
                    new dev.ssmsession.client.PortForward.Options(bind, forward.localPort(), new ConnectionLog())
                            .withSessions(options.sessions()).withIdleTimeout(options.idleTimeout()));
            running.ended().whenComplete((end, failure) -> manager.close());
            running.session().info().thenAccept(info -> showCustomerMessage(info, this.status));
            return portForward(running);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    public static LocalForward portForward(dev.ssmsession.client.PortForward forward) {
        return new LocalForward() {
            @Override
            public SocketAddress localAddress() {
                return forward.localSocketAddress();
            }

            @Override
            public String sessionId() {
                return forward.sessionId();
            }

            @Override
            public dev.ssmsession.client.PortForward.Stats stats() {
                return forward.stats();
            }

            @Override
            public boolean reconnecting() {
                return forward.sessions().stream().anyMatch(Session::isReconnecting);
            }

            @Override
            public CompletableFuture<Void> completion() {
                return forward.ended().thenApply(end -> null);
            }

            @Override
            public void close() {
                forward.close();
                forward.session().close();  // a forward of the plugin's one session: it goes with it
            }
        };
    }

    /**
     * The agent's message from the end of the handshake (e.g. "This session is encrypted using AWS KMS."), as the
     * Go plugin shows it; nothing when there is none.
     */
    public static void showCustomerMessage(SessionInfo info, PrintStream to) {
        String message = info.customerMessage().strip();
        if (message.isEmpty()) {
            return;
        }
        if (to instanceof StatusPrintStream s) {
            s.line(message);  // may arrive once an interactive shell put the terminal in raw mode
        } else {
            to.print(message + "\n");
            to.flush();
        }
    }

    /**
     * Connection events as the Go plugin words them (SPEC §8.3/§8.4), on stderr: "Connection accepted" for every
     * connection, and the agent's dial failures.
     */
    public static final class StatusListener implements PortForwardListener {
        private final String sessionId;
        private final PrintStream status;

        public StatusListener(String sessionId, PrintStream status) {
            this.sessionId = sessionId;
            this.status = status;
        }

        @Override
        public void onConnectionOpened(SocketAddress client) {
            LOG.info("Connection from {} accepted for session {}", client, sessionId);
            status.print("\nConnection accepted for session [" + sessionId + "]\n");
            status.flush();
        }

        @Override
        public void onConnectionFailed(SocketAddress client, SessionException error) {
            LOG.warn("connection from {} failed: {}", client, error.getMessage());
            status.print("\nConnection to destination port failed, check SSM Agent logs.\n");
            status.flush();
        }

        @Override
        public void onConnectionClosed(SocketAddress client, long sent, long received, Duration duration) {
            ConnectionLog.closed(client, sent, received, duration);
        }
    }

    /**
     * Connection events of {@code ssm-session port-forward} and {@code socks}: a line each in the log (INFO, with
     * bytes and duration), nothing on stdout; the live status line, where there is one, shows the counts. A dial
     * the agent reports as failed is also told on stderr, since the client only sees its connection close.
     */
    static final class ConnectionLog implements PortForwardListener {
        @Override
        public void onConnectionOpened(SocketAddress client) {
            LOG.info("Connection from {} opened", client);
        }

        @Override
        public void onConnectionFailed(SocketAddress client, SessionException error) {
            LOG.warn("Connection from {} failed: {}", client, error.getMessage());
        }

        @Override
        public void onConnectionClosed(SocketAddress client, long sent, long received, Duration duration) {
            closed(client, sent, received, duration);
        }

        static void closed(SocketAddress client, long sent, long received, Duration duration) {
            LOG.info("Connection from {} closed after {}: {} bytes sent, {} bytes received", client,
                    ReconnectStatus.seconds(duration), sent, received);
        }
    }

    private static void copyQuietly(InputStream from, PrintStream to) {
        try {
            Streams.copyFlushing(from, to, 4096);
        } catch (IOException e) {
            LOG.debug("remote stderr ended: {}", e.toString());
        }
    }
}
