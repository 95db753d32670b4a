package dev.ssmsession.cli.terminal;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.function.BooleanSupplier;
import org.jline.terminal.impl.exec.ExecTerminalProvider;
import org.jline.terminal.spi.SystemStream;

/**
 * Standard error with one status line that can be redrawn. On a terminal, {@link #status} replaces the line
 * in place ({@code \r} and erase-line) and lines end with {@code \r\n}, which a terminal in raw mode (an
 * interactive shell) needs; anything else written meanwhile first ends the open status line, so text never
 * runs into it. Elsewhere (a pipe, a log file) every status is a plain line of its own.
 */
public final class StatusPrintStream extends PrintStream {
    private static final byte[] CRLF = "\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] REDRAW = "\r\033[K".getBytes(StandardCharsets.US_ASCII);
    /** Up one line, then erase it: to redraw a status of several lines from its last line. */
    private static final byte[] UP_AND_ERASE = "\033[1A\r\033[K".getBytes(StandardCharsets.US_ASCII);

    private final Tracker tracker;
    private final Charset charset;

    private StatusPrintStream(Tracker tracker, Charset charset) {
        super(tracker, true, charset);
        this.tracker = tracker;
        this.charset = charset;
    }

    /**
     * @param terminal whether {@code out} is a terminal; asked once, when the first status is shown
     */
    public static StatusPrintStream over(OutputStream out, BooleanSupplier terminal, Charset charset) {
        return new StatusPrintStream(new Tracker(out, terminal), charset);
    }

    /** {@code System.err}, a terminal when file descriptor 2 is one. */
    public static StatusPrintStream systemErr() {
        return over(System.err, StatusPrintStream::stderrIsTerminal, Charset.defaultCharset());
    }

    /** {@code stream} itself if it is one; otherwise a wrapper that treats it as no terminal. */
    public static StatusPrintStream of(PrintStream stream) {
        return stream instanceof StatusPrintStream s ? s : over(stream, () -> false, Charset.defaultCharset());
    }

    /** JLine's exec provider runs {@code test -t 2}: a process, so only when a status line is first shown. */
    private static boolean stderrIsTerminal() {
        try {
            return new ExecTerminalProvider().isSystemStream(SystemStream.Error);
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    public boolean isTerminal() {
        return tracker.terminal();
    }

    /**
     * Shows {@code text} as the status line: on a terminal it replaces the previous status line (the first one
     * starts on a fresh line); elsewhere it is printed as one line. A text with {@code \n} is a status of several
     * lines (e.g. one per forward), redrawn as a whole.
     */
    public void status(String text) {
        flush();
        tracker.status(text.getBytes(charset));
    }

    /**
     * Prints {@code text} as a whole line on a line of its own (an open status line stays visible above it), right
     * for raw mode too.
     */
    public void line(String text) {
        flush();
        tracker.line(text.getBytes(charset));
    }

    /** Erases the open status line (on a terminal), leaving the cursor at the start of the now empty line. */
    public void clearStatus() {
        flush();
        tracker.clear();
    }

    /** Counts what others write, so that an open status line is ended before their text. */
    private static final class Tracker extends OutputStream {
        private final OutputStream out;
        private final BooleanSupplier terminalCheck;
        private Boolean terminal;
        private boolean open;
        /** Lines of the open status, on a terminal. */
        private int openLines;

        Tracker(OutputStream out, BooleanSupplier terminalCheck) {
            this.out = out;
            this.terminalCheck = terminalCheck;
        }

        synchronized boolean terminal() {
            if (terminal == null) {
                terminal = terminalCheck.getAsBoolean();
            }
            return terminal;
        }

        @Override
        public synchronized void write(int b) throws IOException {
            endStatus();
            out.write(b);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) throws IOException {
            if (len > 0) {
                endStatus();
            }
            out.write(b, off, len);
        }

        @Override
        public synchronized void flush() throws IOException {
            out.flush();
        }

        private void endStatus() throws IOException {
            if (open) {
                open = false;
                out.write(CRLF);
            }
        }

        synchronized void status(byte[] text) {
            try {
                if (!terminal()) {
                    out.write(text);
                    out.write('\n');
                } else {
                    if (open) {
                        erase();
                    } else {
                        out.write(CRLF);
                    }
                    int lines = 1;
                    int from = 0;
                    for (int i = 0; i < text.length; i++) {
                        if (text[i] == '\n') {
                            out.write(text, from, i - from);
                            out.write(CRLF);
                            from = i + 1;
                            lines++;
                        }
                    }
                    out.write(text, from, text.length - from);
                    open = true;
                    openLines = lines;
                }
                out.flush();
            } catch (IOException e) {
                // stderr is gone: nothing to tell anyone
            }
        }

        /** Erases the open status, all its lines, leaving the cursor at the start of its first line. */
        private void erase() throws IOException {
            out.write(REDRAW);
            for (int i = 1; i < openLines; i++) {
                out.write(UP_AND_ERASE);
            }
        }

        synchronized void clear() {
            if (!open) {
                return;
            }
            open = false;
            try {
                erase();
                out.flush();
            } catch (IOException e) {
                // stderr is gone: nothing to tell anyone
            }
        }

        synchronized void line(byte[] text) {
            try {
                if (!terminal()) {
                    out.write(text);
                    out.write('\n');
                } else {
                    // Not redrawn over the status line: once the channel is back, the remote's output may already
                    // have been written after it (stdout does not pass here), and erasing would hide it.
                    out.write(CRLF);
                    out.write(text);
                    out.write(CRLF);
                    open = false;
                }
                out.flush();
            } catch (IOException e) {
                // stderr is gone: nothing to tell anyone
            }
        }
    }
}
