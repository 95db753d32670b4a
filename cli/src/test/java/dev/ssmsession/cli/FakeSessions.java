package dev.ssmsession.cli;

import dev.ssmsession.cli.session.Connection;
import dev.ssmsession.cli.session.ForwardOptions;
import dev.ssmsession.cli.session.LocalForward;
import dev.ssmsession.cli.session.RemoteCommand;
import dev.ssmsession.cli.session.SessionSpec;
import dev.ssmsession.cli.session.Sessions;
import dev.ssmsession.cli.terminal.RemoteShell;
import dev.ssmsession.cli.terminal.RemoteStream;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;

/** Records what the commands ask for; plays a scripted command result. */
final class FakeSessions implements Sessions {
    final List<SessionSpec> specs = new ArrayList<>();
    final List<Connection> connections = new ArrayList<>();
    final List<ForwardSpec> forwards = new ArrayList<>();
    final List<ForwardOptions> forwardOptions = new ArrayList<>();
    String stdout = "";
    String stderr = "";
    OptionalInt exitCode = OptionalInt.empty();
    RuntimeException failure;

    private void record(Connection connection, SessionSpec spec) {
        connections.add(connection);
        specs.add(spec);
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    public RemoteShell shell(Connection connection, SessionSpec spec, PrintStream status) {
        record(connection, spec);
        throw new UnsupportedOperationException("shell is covered by the relay tests");
    }

    @Override
    public RemoteCommand command(Connection connection, SessionSpec spec, PrintStream status) {
        record(connection, spec);
        return new RemoteCommand() {
            @Override
            public String sessionId() {
                return "fake-0001";
            }

            @Override
            public InputStream stdout() {
                return new ByteArrayInputStream(stdout.getBytes(StandardCharsets.UTF_8));
            }

            @Override
            public InputStream stderr() {
                return new ByteArrayInputStream(stderr.getBytes(StandardCharsets.UTF_8));
            }

            @Override
            public CompletableFuture<OptionalInt> completion() {
                return CompletableFuture.completedFuture(exitCode);
            }

            @Override
            public void interrupt() {}

            @Override
            public void terminate() {}
        };
    }

    @Override
    public RemoteStream stdio(Connection connection, SessionSpec spec) {
        record(connection, spec);
        throw new UnsupportedOperationException("stdio is covered by its own test");
    }

    @Override
    public LocalForward forward(Connection connection, SessionSpec spec, ForwardSpec forward, ForwardOptions options,
                               PrintStream status) {
        record(connection, spec);
        forwards.add(forward);
        forwardOptions.add(options);
        return new LocalForward() {
            @Override
            public InetSocketAddress localAddress() {
                return new InetSocketAddress(forward.bindAddress(), forward.localPort());
            }

            @Override
            public String sessionId() {
                return "fake-fwd-" + forward.localPort();
            }

            @Override
            public dev.ssmsession.client.PortForward.Stats stats() {
                return new dev.ssmsession.client.PortForward.Stats(1, 1, 0, 0, 0, 0);
            }

            @Override
            public boolean reconnecting() {
                return false;
            }

            @Override
            public CompletableFuture<Void> completion() {
                return CompletableFuture.completedFuture(null);
            }

            @Override
            public void close() {}
        };
    }
}
