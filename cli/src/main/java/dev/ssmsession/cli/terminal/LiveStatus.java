package dev.ssmsession.cli.terminal;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * A status line redrawn in place on a terminal, at most {@link #REDRAWS_PER_SECOND} times a second and only when its
 * text changed; erased by {@link #close()}. Where stderr is no terminal, or with {@code --quiet}, it shows nothing.
 * Made before the work it describes (so that a Ctrl-C handler can close it), shown from {@link #start()}.
 */
public final class LiveStatus implements AutoCloseable {
    public static final int REDRAWS_PER_SECOND = 4;

    private final StatusPrintStream out;
    private final boolean shows;
    private final Supplier<String> text;
    private final BooleanSupplier paused;
    private ScheduledExecutorService timer;
    private boolean closed;
    private String shown;

    /**
     * @param text   the line (several lines with {@code \n}), asked for at each redraw
     * @param paused while true (a data channel is reconnecting) the line is left to the reconnect status
     */
    public LiveStatus(StatusPrintStream out, boolean quiet, Supplier<String> text, BooleanSupplier paused) {
        this.out = out;
        this.shows = !quiet && out.isTerminal();
        this.text = text;
        this.paused = paused;
    }

    /** Starts redrawing (nothing when the line is not shown, or already closed). */
    public synchronized void start() {
        if (!shows || closed || timer != null) {
            return;
        }
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "ssm-session-status-line");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleAtFixedRate(this::redraw, 0, 1000 / REDRAWS_PER_SECOND, TimeUnit.MILLISECONDS);
    }

    private synchronized void redraw() {
        if (closed) {
            return;
        }
        try {
            if (paused.getAsBoolean()) {
                shown = null;  // drawn again once the reconnect is over
                return;
            }
            String now = text.get();
            if (!now.equals(shown)) {
                shown = now;
                out.status(now);
            }
        } catch (RuntimeException e) {
            // a status line must never end the forward it describes
        }
    }

    /** Stops redrawing and erases the line. Idempotent. */
    @Override
    public void close() {
        ScheduledExecutorService t;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;  // a redraw already waiting for the lock does nothing now
            t = timer;
        }
        if (t == null) {
            return;
        }
        t.shutdownNow();
        out.clearStatus();
    }
}
