package dev.ssmsession.cli;

import dev.ssmsession.cli.session.PortForward;
import dev.ssmsession.cli.session.SessionSpec;
import java.io.InterruptedIOException;
import java.io.PrintStream;
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
        CliContext context = root.context;
        PrintStream status = context.err();
        List<PortForward> open = new CopyOnWriteArrayList<>();
        AtomicBoolean exitPrinted = new AtomicBoolean();
        Runnable printExit = () -> {
            if (exitPrinted.compareAndSet(false, true)) {
                open.forEach(f -> status.println("Exiting session with sessionId: " + f.sessionId() + "."));
            }
        };
        UntilEnded run = UntilEnded.onSignal("ssm-session-close-forwards", () -> {
            status.println("Terminate signal received, exiting.");
            open.forEach(PortForward::close);
            printExit.run();
        });
        try {
            for (ForwardSpec forward : forwards) {
                PortForward running = context.sessions().forward(root.connection(), spec(forward), forward, status);
                open.add(running);
                status.println("Port " + running.localAddress().getPort() + " opened for sessionId "
                        + running.sessionId() + ".");
            }
            status.println("Waiting for connections...");
            run.await(CompletableFuture.allOf(open.stream().map(PortForward::completion).toArray(CompletableFuture[]::new)));
            printExit.run();
            return ExitCodes.OK;
        } finally {
            run.finish(() -> open.forEach(PortForward::close));
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
