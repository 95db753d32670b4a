package dev.ssmsession.client.internal;

import java.util.OptionalLong;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The one pending tick of a session on the shared scheduler: armed for the earliest deadline the
 * engine and the session kind report, re-armed only when an earlier one appears. Deadlines are
 * compared by difference, so a wrapping (or negative) {@code nanoTime} scale works. Not
 * thread-safe: the session lock guards it.
 *
 * <p>Consecutive ticks are at least {@code minSpacingNanos} apart: a paced stream then goes out as a few
 * messages per tick (the pacer's burst credit covers the gap) instead of one scheduler wake-up and one socket
 * write per message. Nothing interactive waits on this: a send with a free pacing slot happens at once,
 * without a tick.
 */
final class TickTimer {
    private final ScheduledExecutorService scheduler;
    private final LongSupplier nanoTime;
    private final Runnable onTick;
    private final long minSpacingNanos;
    private ScheduledFuture<?> task;
    private long at;
    private boolean firedOnce;
    private long lastFired;

    TickTimer(ScheduledExecutorService scheduler, LongSupplier nanoTime, Runnable onTick) {
        this(scheduler, nanoTime, onTick, 0);
    }

    TickTimer(ScheduledExecutorService scheduler, LongSupplier nanoTime, Runnable onTick, long minSpacingNanos) {
        this.scheduler = scheduler;
        this.nanoTime = nanoTime;
        this.onTick = onTick;
        this.minSpacingNanos = minSpacingNanos;
    }

    /** Makes sure a tick runs by the earlier of the two deadlines (either may be empty). */
    void arm(OptionalLong a, OptionalLong b) {
        OptionalLong next = earliest(a, b);
        if (next.isEmpty()) {
            return;
        }
        long deadline = next.getAsLong();
        if (firedOnce && deadline - (lastFired + minSpacingNanos) < 0) {
            deadline = lastFired + minSpacingNanos;
        }
        if (task != null && !task.isDone() && at - deadline <= 0) {
            return;
        }
        if (task != null) {
            task.cancel(false);
        }
        at = deadline;
        long delay = Math.max(0, deadline - nanoTime.getAsLong());
        task = scheduler.schedule(onTick, delay, TimeUnit.NANOSECONDS);
    }

    /** The tick is running: the next {@link #arm} schedules afresh. */
    void fired() {
        task = null;
        firedOnce = true;
        lastFired = nanoTime.getAsLong();
    }

    void cancel() {
        if (task != null) {
            task.cancel(false);
            task = null;
        }
    }

    static OptionalLong earliest(OptionalLong a, OptionalLong b) {
        if (a.isEmpty()) {
            return b;
        }
        if (b.isEmpty()) {
            return a;
        }
        return b.getAsLong() - a.getAsLong() < 0 ? b : a;
    }
}
