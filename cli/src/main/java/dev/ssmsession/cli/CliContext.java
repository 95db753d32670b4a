package dev.ssmsession.cli;

import dev.ssmsession.cli.session.Sessions;
import dev.ssmsession.cli.terminal.StatusPrintStream;
import dev.ssmsession.cli.terminal.SystemTerminal;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.Map;
import java.util.Optional;
import org.jline.terminal.Terminal;

/**
 * Everything a command touches outside itself: the standard streams, the environment, the terminal, and the
 * session library. Production uses {@link #system}; tests pass in-memory versions.
 */
public record CliContext(InputStream in, PrintStream out, PrintStream err, Map<String, String> env,
        Sessions sessions, TerminalSource terminals) {

    /** The user's terminal, when there is one. */
    @FunctionalInterface
    public interface TerminalSource {
        /** A terminal for the interactive relay, or empty when stdin or stdout is not a TTY (pipe mode). */
        Optional<Terminal> open() throws IOException;

        /** What the user types on a terminal from {@link #open()}, read with plain blocking reads. */
        default InputStream keyboard(Terminal terminal) {
            return terminal.input();
        }
    }

    public static CliContext system(Sessions sessions) {
        return system(sessions, StatusPrintStream.systemErr());
    }

    /** The process's streams, with {@code err} (a status-aware {@code System.err}) for the status output. */
    public static CliContext system(Sessions sessions, StatusPrintStream err) {
        return new CliContext(System.in, System.out, err, System.getenv(), sessions, new TerminalSource() {
            @Override
            public Optional<Terminal> open() throws IOException {
                return systemTerminal();
            }

            @Override
            public InputStream keyboard(Terminal terminal) {
                return SystemTerminal.keyboard();
            }
        });
    }

    private static Optional<Terminal> systemTerminal() throws IOException {
        // Java 17: System.console() is non-null only when both stdin and stdout are terminals.
        if (System.console() == null) {
            return Optional.empty();
        }
        return Optional.of(SystemTerminal.open());
    }
}
