package dev.ssmsession.cli.terminal;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.jline.terminal.impl.PosixSysTerminal;
import org.jline.terminal.impl.exec.ExecTerminalProvider;

/**
 * The user's terminal, through JLine's {@code exec} provider (it runs {@code stty}). JLine 3.30's native
 * providers (JNI/FFM) write a termios built from scratch, so every {@code setAttributes} — raw mode, and the restore
 * when the session ends — clears what JLine does not map: the line speed becomes 0 (B0, "hang up" on a serial
 * line) and {@code c_line} gets whatever was in memory (jline3 issue 2170, fixed only in JLine 4). {@code stty}
 * reads, changes and writes back, so the terminal is left exactly as it was found.
 */
public final class SystemTerminal {
    private SystemTerminal() {}

    /**
     * Opens the process's controlling terminal; call only when stdin and stdout are terminals (the caller knows:
     * {@code System.console()}). Built directly rather than through {@code TerminalBuilder}, which asks the provider
     * about each standard stream, a {@code test -t} process each time, and on a {@link StickyExecPty}, which runs
     * {@code stty} only when it must: a shell's first prompt used to wait for twelve processes, ~20-40 ms apiece.
     */
    public static Terminal open() throws IOException {
        // JLine's timed reads on a PTY switch it to VMIN 0 / VTIME 1 and poll, which holds each keystroke up to
        // 100 ms; the relay reads the keyboard itself (keyboard()), and this keeps JLine from touching VMIN/VTIME.
        System.setProperty(TerminalBuilder.PROP_NON_BLOCKING_READS, "false");
        String type = System.getenv("TERM");
        return new PosixSysTerminal("ssm-session", type == null || type.isBlank() ? "ansi" : type,
                StickyExecPty.current(new ExecTerminalProvider()), encoding(), true, Terminal.SignalHandler.SIG_DFL);
    }

    /** The terminal's encoding as TerminalBuilder would pick it: {@code stdout.encoding}, else the default charset. */
    private static Charset encoding() {
        String name = System.getProperty("stdout.encoding");
        try {
            return name != null ? Charset.forName(name) : Charset.defaultCharset();
        } catch (IllegalArgumentException e) {
            return Charset.defaultCharset();
        }
    }

    /**
     * The keyboard: the process's standard input (the TTY, as {@link #open()} requires), read directly with blocking
     * reads that return as soon as a byte arrives in raw mode. Not closed by the caller (it is stdin).
     */
    public static InputStream keyboard() {
        return new FileInputStream(FileDescriptor.in);
    }
}
