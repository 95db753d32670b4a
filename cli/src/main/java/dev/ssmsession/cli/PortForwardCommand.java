package dev.ssmsession.cli;

import dev.ssmsession.cli.session.ForwardOptions;
import dev.ssmsession.cli.session.LocalForward;
import dev.ssmsession.cli.terminal.LiveStatus;
import dev.ssmsession.cli.terminal.StatusPrintStream;
import dev.ssmsession.cli.session.SessionSpec;
import java.io.InterruptedIOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.TypeConversionException;

/** {@code ssm-session port-forward}: local listeners carried to ports on (or behind) the target. */
@Command(name = "port-forward", description = {
    "Forward local ports to ports on the target or on hosts it can reach, one session per -L.",
    "Listeners bind 127.0.0.1 unless a bind address is given. Runs until Ctrl-C or the sessions end."
})
final class PortForwardCommand implements Callable<Integer> {
    @ParentCommand
    SsmSession root;

    @Option(names = {"-t", "--target"}, required = true, paramLabel = "ID", description = "The managed node.")
    String target;

    @Option(names = {"-L", "--forward"}, required = true, paramLabel = "[BIND:]LOCALPORT:[HOST:]REMOTEPORT",
            converter = SpecConverter.class,
            description = "e.g. 8080:80, 5432:db.internal:5432, 0.0.0.0:2222:22, 0:443 (0 = any free port).")
    List<ForwardSpec> forwards;

    @Option(names = "--document-name", paramLabel = "DOCUMENT", description = "Override the document "
            + "(default AWS-StartPortForwardingSession, or …ToRemoteHost when a HOST is given).")
    String documentName;

    @Option(names = "--reason", paramLabel = "TEXT", description = "Reason recorded with the sessions.")
    String reason;

    @Option(names = "--sessions", paramLabel = "N", defaultValue = "1", description = "Spread each forward's "
            + "connections over up to N sessions (1-32, default 1), opened as connections overlap: the service caps "
            + "each session at about 1 MB/s, so N sessions carry about N times that. One connection stays on one "
            + "session.")
    int sessions = 1;

    @Option(names = "--idle-timeout", paramLabel = "DURATION", defaultValue = "5m", converter = DurationConverter.class,
            description = "Close a forward's extra sessions after this long without connections "
                    + "(default 5m; 0 = never); they reopen when needed.")
    Duration idleTimeout = Duration.ofMinutes(5);

    @Option(names = {"-q", "--quiet"}, description = "No live status line on a terminal.")
    boolean quiet;

    static final class SpecConverter implements ITypeConverter<ForwardSpec> {
        @Override
        public ForwardSpec convert(String value) {
            try {
                return ForwardSpec.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    @Override
    public Integer call() throws InterruptedIOException {
        checkSessions(sessions);
        CliContext context = root.context;
        PrintStream status = context.err();
        List<LocalForward> open = new CopyOnWriteArrayList<>();
        AtomicBoolean exitPrinted = new AtomicBoolean();
        ForwardStatus text = new ForwardStatus(System::nanoTime);
        LiveStatus line = new LiveStatus(StatusPrintStream.of(status), quiet, text,
                () -> open.stream().anyMatch(LocalForward::reconnecting));
        Runnable printExit = () -> {
            if (exitPrinted.compareAndSet(false, true)) {
                line.close();
                open.forEach(f -> status.println("Exiting session with sessionId: " + f.sessionId() + "."));
            }
        };
        UntilEnded run = UntilEnded.onSignal("ssm-session-close-forwards", () -> {
            line.close();
            status.println("Terminate signal received, exiting.");
            open.forEach(LocalForward::close);
            printExit.run();
        });
        try {
            ForwardOptions options = new ForwardOptions(sessions, idleTimeout);
            for (ForwardSpec forward : forwards) {
                LocalForward running = context.sessions().forward(root.connection(), spec(forward), forward, options,
                        status);
                open.add(running);
                int port = ((InetSocketAddress) running.localAddress()).getPort();
                status.println("Port " + port + " opened for sessionId " + running.sessionId() + ".");
                text.add(new ForwardStatus.Source(Integer.toString(port), sessions, running::stats,
                        running::reconnecting));
            }
            status.println("Waiting for connections...");
            line.start();
            run.await(CompletableFuture.allOf(open.stream().map(LocalForward::completion).toArray(CompletableFuture[]::new)));
            printExit.run();
            return ExitCodes.OK;
        } finally {
            run.finish(() -> {
                line.close();
                open.forEach(LocalForward::close);
            });
        }
    }

    /** {@code --sessions} of port-forward and socks. */
    static void checkSessions(int sessions) {
        if (sessions < 1 || sessions > dev.ssmsession.client.PortForward.MAX_SESSIONS) {
            throw CliException.usage("--sessions must be 1-" + dev.ssmsession.client.PortForward.MAX_SESSIONS
                    + ", got " + sessions, "e.g. --sessions 4");
        }
    }

    private SessionSpec spec(ForwardSpec forward) {
        return new TargetSpecBuilder(target, documentName, reason).forward(forward);
    }

    /** Builds the StartSession input for one forward (SPEC §8.2 documents). */
    record TargetSpecBuilder(String target, String documentName, String reason) {
        SessionSpec forward(ForwardSpec forward) {
            Map<String, List<String>> parameters = new java.util.LinkedHashMap<>();
            parameters.put("portNumber", List.of(Integer.toString(forward.remotePort())));
            parameters.put("localPortNumber", List.of(Integer.toString(forward.localPort())));
            forward.host().ifPresent(h -> parameters.put("host", List.of(h)));
            String document = documentName != null ? documentName
                    : forward.host().isPresent()
                            ? "AWS-StartPortForwardingSessionToRemoteHost"
                            : "AWS-StartPortForwardingSession";
            return new SessionSpec(target, java.util.Optional.of(document), parameters,
                    java.util.Optional.ofNullable(reason));
        }
    }
}
