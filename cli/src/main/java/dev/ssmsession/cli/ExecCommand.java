package dev.ssmsession.cli;

import dev.ssmsession.cli.internal.Streams;
import dev.ssmsession.cli.internal.Interrupts;
import dev.ssmsession.cli.session.RemoteCommand;
import dev.ssmsession.cli.session.SessionSpec;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code ssm-session exec}: a command whose stdout, stderr and exit code become this process's. */
@Command(name = "exec", description = {
    "Run a command on the target and exit with its exit code, stdout and stderr kept apart.",
    "Uses the document AWS-StartNonInteractiveCommand. Words are joined with spaces, as ssh does."
})
public final class ExecCommand implements Callable<Integer> {
    @ParentCommand
    SsmSession root;

    @Mixin
    TargetOptions target;

    @Parameters(arity = "1..*", paramLabel = "COMMAND", description = "The command line to run.")
    List<String> command;

    @Override
    public Integer call() throws IOException {
        SessionSpec spec = target.spec("AWS-StartNonInteractiveCommand",
                Map.of("command", List.of(String.join(" ", command))));
        CliContext context = root.context;
        return runCommand(context, context.sessions().command(root.connection(), spec, context.err()));
    }

    /**
     * Copies the command's stdout and stderr to ours until it ends; returns its exit code (0 when the agent
     * reported none). Ctrl-C (JVM shutdown) terminates the remote session. Shared with the plugin entry point.
     */
    public static int runCommand(CliContext context, RemoteCommand remote) throws IOException {
        Thread terminateOnExit = new Thread(remote::terminate, "ssm-session-terminate");
        Runtime.getRuntime().addShutdownHook(terminateOnExit);
        AtomicInteger interrupts = new AtomicInteger();
        // Ctrl-C interrupts the remote command (as with ssh) and we still get its exit code; a second one gives up.
        try (Interrupts ignored = Interrupts.on(() -> {
            if (interrupts.getAndIncrement() == 0) {
                remote.interrupt();
            } else {
                System.exit(ExitCodes.INTERRUPTED);
            }
        }, "INT")) {
            CompletableFuture<Void> stderr = CompletableFuture.runAsync(() -> copy(remote.stderr(), context.err()),
                    runnable -> new Thread(runnable, "ssm-session-stderr").start());
            copy(remote.stdout(), context.out());
            OptionalInt exit = remote.completion().get();
            stderr.get();
            return exit.orElse(ExitCodes.OK);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted");
        } catch (ExecutionException e) {
            throw Failures.unwrap(e);
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(terminateOnExit);
            } catch (IllegalStateException shuttingDown) {
                // the hook terminates the session
            }
        }
    }

    private static void copy(InputStream from, OutputStream to) {
        try {
            Streams.copyFlushing(from, to, 8192);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
