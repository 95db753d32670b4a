package dev.ssmsession.cli;

import dev.ssmsession.cli.internal.Interrupts;
import dev.ssmsession.cli.session.SessionSpec;
import dev.ssmsession.cli.terminal.PipeRelay;
import dev.ssmsession.cli.terminal.RemoteShell;
import dev.ssmsession.cli.terminal.TerminalRelay;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.jline.terminal.Terminal;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

/** {@code ssm-session start}: an interactive shell. */
@Command(name = "start", description = {
    "Open an interactive shell on the target (default document SSM-SessionManagerRunShell).",
    "Every key reaches the remote, Ctrl-C included; type Enter ~. to disconnect, Enter ~? for help.",
    "With stdin or stdout not a terminal, input is piped (stdin EOF sends one EOT to the remote shell)."
})
public final class StartCommand implements Callable<Integer> {
    @ParentCommand
    SsmSession root;

    @Mixin
    TargetOptions target;

    @Override
    public Integer call() throws IOException {
        SessionSpec spec = target.spec(null, Map.of());
        return runShell(root.context, root.context.sessions().shell(root.connection(), spec, root.context.err()));
    }

    /** Relays a shell on the user's terminal (or pipes); returns the exit status. Shared with {@code demo}. */
    public static int runShell(CliContext context, RemoteShell shell) throws IOException {
        Thread terminateOnExit = new Thread(shell::terminate, "ssm-session-terminate");
        Runtime.getRuntime().addShutdownHook(terminateOnExit);
        try {
            Optional<Terminal> terminal = context.terminals().open();
            int status;
            if (terminal.isPresent()) {
                try (Terminal t = terminal.get()) {
                    status = new TerminalRelay(t, context.terminals().keyboard(t), shell, context.err()).run();
                }
            } else {
                // Not in raw mode, so Ctrl-C is a signal: pass it on as the byte, as the Go plugin does (SPEC §8.1)
                try (Interrupts ignored = Interrupts.on(() -> sendInterrupt(shell), "INT")) {
                    status = new PipeRelay(context.in(), context.out(), shell).run();
                }
            }
            context.out().flush();
            context.err().print("\n\nExiting session with sessionId: " + shell.sessionId() + ".\n\n");
            context.err().flush();
            return status;
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(terminateOnExit);
            } catch (IllegalStateException shuttingDown) {
                // the hook terminates the session
            }
        }
    }

    private static void sendInterrupt(RemoteShell shell) {
        try {
            shell.input().write(0x03);
            shell.input().flush();
        } catch (IOException e) {
            // the session is ending anyway
        }
    }
}
