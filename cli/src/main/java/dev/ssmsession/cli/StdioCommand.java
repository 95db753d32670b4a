package dev.ssmsession.cli;

import dev.ssmsession.cli.internal.Streams;
import dev.ssmsession.cli.session.SessionSpec;
import dev.ssmsession.cli.terminal.RemoteStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code ssm-session stdio} / {@code ssh-proxy}: stdin/stdout to a port on the target (SSH ProxyCommand). */
@Command(name = "stdio", aliases = "ssh-proxy", description = {
    "Connect stdin/stdout to a TCP port on the target (document AWS-StartSSHSession), for SSH.",
    "In ~/.ssh/config:  ProxyCommand ssm-session ssh-proxy %%h %%p",
    "Ends when stdin ends or the remote closes the connection."
})
public final class StdioCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(StdioCommand.class);

    @ParentCommand
    SsmSession root;

    @Parameters(index = "0", arity = "0..1", paramLabel = "HOST", description = "The target (ssh's %%h).")
    String hostArgument;

    @Parameters(index = "1", arity = "0..1", paramLabel = "PORT", description = "The port (ssh's %%p; default 22).")
    Integer portArgument;

    @Option(names = {"-t", "--target"}, paramLabel = "ID", description = "The target (instead of HOST).")
    String target;

    @Option(names = "--port", paramLabel = "PORT", description = "The port (instead of PORT).")
    Integer port;

    @Option(names = "--document-name", paramLabel = "DOCUMENT", defaultValue = "AWS-StartSSHSession",
            description = "Session document (default: ${DEFAULT-VALUE}).")
    String documentName;

    @Option(names = "--reason", paramLabel = "TEXT", description = "Reason recorded with the session.")
    String reason;

    @Override
    public Integer call() throws IOException {
        String resolvedTarget = target != null ? target : hostArgument;
        if (resolvedTarget == null) {
            throw CliException.usage("missing target: give HOST or --target ID", "");
        }
        if (target != null && hostArgument != null && !target.equals(hostArgument)) {
            throw CliException.usage("both HOST (" + hostArgument + ") and --target (" + target + ") given", "");
        }
        int resolvedPort = port != null ? port : portArgument != null ? portArgument : 22;
        if (resolvedPort < 1 || resolvedPort > 65535) {
            throw CliException.usage("port " + resolvedPort + " is out of range (1-65535)", "");
        }
        SessionSpec spec = new SessionSpec(resolvedTarget, Optional.of(documentName),
                Map.of("portNumber", List.of(Integer.toString(resolvedPort))), Optional.ofNullable(reason));
        CliContext context = root.context;
        RemoteStream stream = context.sessions().stdio(root.connection(), spec);
        return relay(context.in(), context.out(), stream);
    }

    /**
     * Copies both ways. stdin EOF ends the session (SPEC §8.5: that is how ssh says it is done) once the remote
     * {@linkplain RemoteStream#settled settled}, so that a refused port fails with the agent's reason even when
     * stdin was empty; the remote closing ends it too.
     */
    public static int relay(InputStream stdin, OutputStream stdout, RemoteStream stream) throws IOException {
        CompletableFuture<Void> inputDone = CompletableFuture.runAsync(() -> {
            byte[] buffer = new byte[16 * 1024];
            OutputStream remote = stream.input();
            try {
                for (int n; (n = stdin.read(buffer)) >= 0; ) {
                    remote.write(buffer, 0, n);
                    remote.flush();
                }
            } catch (IOException e) {
                LOG.debug("stdin ended: {}", e.toString());
            }
        }, runnable -> {
            Thread t = new Thread(runnable, "ssm-session-stdin");
            t.setDaemon(true);
            t.start();
        });
        AtomicBoolean endedHere = new AtomicBoolean();
        inputDone.thenCompose(done -> stream.settled()).thenRun(() -> {
            if (!stream.completion().isDone()) {
                endedHere.set(true);
                stream.terminate();
            }
        });
        Streams.copyFlushing(stream.output(), stdout, 16 * 1024);
        try {
            OptionalInt exit = stream.completion().get();
            return exit.orElse(ExitCodes.OK);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted");
        } catch (ExecutionException e) {
            if (endedHere.get()) {
                return ExitCodes.OK; // we ended it
            }
            throw Failures.unwrap(e);
        }
    }
}
