package dev.ssmsession.cli.terminal;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * A status line redrawn in place on a terminal, at most {@link #REDRAWS_PER_SECOND} times a second and only when its
 * text changed; erased by {@link #close()}. Where stderr is no terminal, or with {@code --quiet}, there is none.
 */
public final class LiveStatus implements AutoCloseable {
    public static final int REDRAWS_PER_SECOND = 4;

    private final StatusPrintStream out;
    private final Supplier<String> text;
    private final BooleanSupplier paused;
    private final ScheduledExecutorService timer;
    private String shown;

    private LiveStatus(StatusPrintStream out, Supplier<String> text, BooleanSupplier paused) {
        this.out = out;
        this.text = text;
        this.paused = paused;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "ssm-session-status-line");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleAtFixedRate(this::redraw, 0, 1000 / REDRAWS_PER_SECOND, TimeUnit.MILLISECONDS);
    }

    /**
     * A live line when {@code out} is a terminal and not {@code quiet}, else null. While {@code paused} (a data
     * channel is reconnecting) the line is left to the reconnect status, which says until when it tries.
     */
    public static LiveStatus start(StatusPrintStream out, boolean quiet, Supplier<String> text,
                                   BooleanSupplier paused) {
        if (quiet || !out.isTerminal()) {
            return null;
        }
        return new LiveStatus(out, text, paused);
    }

    private synchronized void redraw() {
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

    /** Stops redrawing and erases the line. */
    @Override
    public void close() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (this) {
            out.clearStatus();
        }
    }
}
