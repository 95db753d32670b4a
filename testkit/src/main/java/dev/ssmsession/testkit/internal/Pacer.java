package dev.ssmsession.testkit.internal;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The service's per-direction message rate cap (SPEC §6.6, ~1000 messages/s): a token bucket that
 * queues, in order, what it cannot pass yet and drains on the scheduler. Nothing is dropped.
 * A rate of 0 passes everything through.
 */
public final class Pacer {
    private final int perSecond;
    private final double burst;
    private final Scheduler scheduler;
    private final LongSupplier nanos;
    private final Consumer<byte[]> sink;
    private final Deque<byte[]> queue = new ArrayDeque<>();
    private double tokens;
    private long last;
    private boolean scheduled;

    /** Runs a task after a delay; the service passes its scheduled executor, tests a virtual one. */
    @FunctionalInterface
    public interface Scheduler {
        void schedule(Runnable task, long delayNanos);

        static Scheduler of(ScheduledExecutorService executor) {
            return (task, delay) -> executor.schedule(task, delay, TimeUnit.NANOSECONDS);
        }
    }

    public Pacer(int perSecond, Scheduler scheduler, LongSupplier nanos, Consumer<byte[]> sink) {
        this.perSecond = perSecond;
        this.burst = Math.max(1, perSecond / 20.0);
        this.scheduler = scheduler;
        this.nanos = nanos;
        this.sink = sink;
        this.tokens = burst;
        this.last = nanos.getAsLong();
    }

    public synchronized void submit(byte[] frame) {
        if (perSecond <= 0) {
            sink.accept(frame);
            return;
        }
        queue.addLast(frame);
        pass();
    }

    private synchronized void scheduledDrain() {
        scheduled = false;
        pass();
    }

    /** Passes what the bucket allows now; schedules one drain for the rest. */
    private void pass() {
        long now = nanos.getAsLong();
        tokens = Math.min(burst, tokens + (now - last) * perSecond / 1e9);
        last = now;
        while (!queue.isEmpty() && tokens >= 1) {
            tokens -= 1;
            sink.accept(queue.pollFirst());
        }
        if (!queue.isEmpty() && !scheduled) {
            scheduled = true;
            long waitNanos = (long) Math.ceil((1 - tokens) * 1e9 / perSecond);
            scheduler.schedule(this::scheduledDrain, waitNanos);
        }
    }

    public synchronized int queued() {
        return queue.size();
    }

    /** Hands everything still queued to {@code to}, bypassing the cap (the session is closing). */
    public synchronized void flushTo(Consumer<byte[]> to) {
        while (!queue.isEmpty()) {
            to.accept(queue.pollFirst());
        }
    }

    public synchronized void clear() {
        queue.clear();
    }
}
