package dev.ssmsession.cli.terminal;

import dev.ssmsession.cli.internal.Streams;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jline.terminal.Attributes;
import org.jline.terminal.Size;
import org.jline.terminal.Terminal;
import org.jline.terminal.Terminal.Signal;
import org.jline.terminal.Terminal.SignalHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Relays an interactive terminal to a {@link RemoteShell}: raw mode, initial size plus WINCH → resize, keyboard →
 * remote (through the {@code ~} escape filter), remote output → terminal. The terminal's attributes and the previous
 * WINCH handler are restored in {@code finally}, and by a shutdown hook if the JVM exits while the relay runs.
 */
public final class TerminalRelay {
    private static final Logger LOG = LoggerFactory.getLogger(TerminalRelay.class);
    /** Bytes taken from the keyboard per read: one keystroke, or a slice of a paste. */
    private static final int KEYBOARD_BUFFER = 8192;
    /** How long to wait for the remote's last output after the session reported its end. */
    private static final long DRAIN_SECONDS = 5;

    private final Terminal terminal;
    private final InputStream keyboard;
    private final RemoteShell shell;
    private final PrintStream status;

    /**
     * @param status where banners and escape help go (stderr): never mixed into session data on stdout
     */
    public TerminalRelay(Terminal terminal, RemoteShell shell, PrintStream status) {
        this(terminal, terminal.input(), shell, status);
    }

    /**
     * @param keyboard what the user types, read with plain blocking reads (for the system terminal, the TTY itself:
     *                 {@link SystemTerminal#keyboard()})
     */
    public TerminalRelay(Terminal terminal, InputStream keyboard, RemoteShell shell, PrintStream status) {
        this.terminal = terminal;
        this.keyboard = keyboard;
        this.shell = shell;
        this.status = status;
    }

    /**
     * Runs until the session ends or the user types {@code ~.}. Returns the remote exit status if the session
     * reported one, else 0.
     */
    public int run() throws IOException {
        Attributes saved = terminal.getAttributes();
        AtomicBoolean restored = new AtomicBoolean();
        SignalHandler[] previousWinch = new SignalHandler[1];
        Runnable restore = () -> {
            if (restored.compareAndSet(false, true)) {
                terminal.setAttributes(saved);
                if (previousWinch[0] != null) {
                    terminal.handle(Signal.WINCH, previousWinch[0]);
                }
                terminal.flush();
            }
        };
        Thread hook = new Thread(restore, "ssm-session-terminal-restore");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            terminal.setAttributes(RawMode.of(saved));
            previousWinch[0] = terminal.handle(Signal.WINCH, signal -> sendSize());
            sendSize();
            Thread pump = startOutputPump();
            boolean disconnected = pumpKeyboard();
            if (disconnected) {
                shell.terminate();
            }
            return awaitEnd(pump, disconnected);
        } finally {
            restore.run();
            removeHook(hook);
        }
    }

    private void sendSize() {
        Size size = terminal.getSize();
        if (size != null && size.getColumns() > 0 && size.getRows() > 0) {
            shell.resize(size.getColumns(), size.getRows());
        }
    }

    private Thread startOutputPump() {
        Thread pump = new Thread(() -> {
            try {
                Streams.copyFlushing(shell.output(), terminal.output(), 8192);
            } catch (IOException e) {
                LOG.debug("terminal output pump ended: {}", e.toString());
            }
        }, "ssm-session-output");
        pump.setDaemon(true);
        pump.start();
        return pump;
    }

    /**
     * Keyboard → remote on a daemon thread, until input ends or {@code ~.}; this thread returns when that happens
     * or the session ends. Returns true for {@code ~.}.
     *
     * <p>The keyboard thread blocks in a plain {@code read} that returns as soon as any byte is there (raw mode:
     * VMIN 1, VTIME 0), so a keystroke is sent the moment it is read and a paste goes out in buffer-sized writes.
     * No timed polling: JLine's timed reads on a PTY work by VTIME, which holds every keystroke up to 100 ms.
     * When the session ends first, the thread stays blocked in its read until the JVM exits (a read on a TTY
     * cannot be interrupted); it writes nothing more, since the session refuses input after its end.
     */
    private boolean pumpKeyboard() throws IOException {
        CompletableFuture<Boolean> keyboardDone = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try {
                keyboardDone.complete(relayKeyboard());
            } catch (IOException | RuntimeException e) {
                keyboardDone.completeExceptionally(e);
            }
        }, "ssm-session-keyboard");
        reader.setDaemon(true);
        reader.start();
        try {
            CompletableFuture.anyOf(keyboardDone, shell.completion()).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException e) {
            // the session's failure is reported by awaitEnd; a keyboard failure ends the relay like EOF
            if (!shell.completion().isDone()) {
                LOG.debug("keyboard relay ended: {}", e.getCause().toString());
            }
        }
        return keyboardDone.isDone() && !keyboardDone.isCompletedExceptionally() && keyboardDone.join();
    }

    private boolean relayKeyboard() throws IOException {
        AtomicBoolean disconnect = new AtomicBoolean();
        EscapeFilter escapes = new EscapeFilter(new EscapeFilter.Actions() {
            @Override
            public void disconnect() {
                disconnect.set(true);
            }

            @Override
            public void help() {
                status.print("~?\r\n" + EscapeFilter.HELP);
                status.flush();
            }
        });
        byte[] buffer = new byte[KEYBOARD_BUFFER];
        ByteArrayOutputStream filtered = new ByteArrayOutputStream(2 * buffer.length);
        OutputStream remote = shell.input();
        while (true) {
            int n = keyboard.read(buffer, 0, buffer.length);
            if (n < 0) {
                return false; // the terminal closed; the session goes on until the remote ends it
            }
            if (shell.completion().isDone()) {
                return false;
            }
            filtered.reset();
            boolean go = escapes.filter(buffer, 0, n, filtered);
            if (filtered.size() > 0) {
                byte[] keys = filtered.toByteArray();
                EnterKey.asCarriageReturn(keys, 0, keys.length);
                remote.write(keys);
                remote.flush();
            }
            if (!go || disconnect.get()) {
                status.print("\r\n~. Disconnecting.\r\n");
                status.flush();
                return true;
            }
        }
    }

    private int awaitEnd(Thread pump, boolean disconnected) throws IOException {
        OptionalInt exit;
        try {
            exit = disconnected
                    ? shell.completion().get(DRAIN_SECONDS, TimeUnit.SECONDS)
                    : shell.completion().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for the session to end");
        } catch (TimeoutException e) {
            return 0; // we asked to end it; the remote did not confirm in time
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw cause instanceof IOException io ? io : new IOException(cause.getMessage(), cause);
        }
        try {
            pump.join(TimeUnit.SECONDS.toMillis(DRAIN_SECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        terminal.flush();
        return exit.orElse(0);
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // the hook is running or ran: the terminal is restored either way
        }
    }
}
