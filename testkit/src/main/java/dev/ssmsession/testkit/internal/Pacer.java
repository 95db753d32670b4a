package dev.ssmsession.testkit.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
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
    private boolean draining;

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

    public void submit(byte[] frame) {
        if (perSecond <= 0) {
            sink.accept(frame);
            return;
        }
        synchronized (this) {
            queue.addLast(frame);
        }
        drain();
    }

    private void scheduledDrain() {
        synchronized (this) {
            scheduled = false;
        }
        drain();
    }

    /**
     * Passes what the bucket allows now, in order, calling the sink outside this lock (the sink
     * takes the agent's or the socket's lock, which may be held by a thread that calls
     * {@link #clear()}). One thread drains at a time; others leave their frames to it.
     */
    private void drain() {
        while (true) {
            byte[] next;
            synchronized (this) {
                if (draining) {
                    return;
                }
                next = takeIfAllowed();
                if (next == null) {
                    scheduleRest();
                    return;
                }
                draining = true;
            }
            try {
                sink.accept(next);
            } finally {
                synchronized (this) {
                    draining = false;
                }
            }
        }
    }

    private byte[] takeIfAllowed() {
        long now = nanos.getAsLong();
        tokens = Math.min(burst, tokens + (now - last) * perSecond / 1e9);
        last = now;
        if (queue.isEmpty() || tokens < 1) {
            return null;
        }
        tokens -= 1;
        return queue.pollFirst();
    }

    private void scheduleRest() {
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
    public void flushTo(Consumer<byte[]> to) {
        List<byte[]> rest;
        synchronized (this) {
            rest = new ArrayList<>(queue);
            queue.clear();
        }
        rest.forEach(to);
    }

    public synchronized void clear() {
        queue.clear();
    }
}
