package dev.ssmsession.client.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.Delayed;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A scheduler on virtual time: tasks run only when the test advances the clock. {@link #delays}
 * records every one-shot delay asked for. Periodic tasks are recorded and never run.
 */
final class ManualScheduler extends AbstractExecutorService implements ScheduledExecutorService {
    private final PriorityQueue<Task> queue = new PriorityQueue<>();
    final List<Long> delays = new ArrayList<>();
    private long now;
    private long seq;

    synchronized long nanoTime() {
        return now;
    }

    /** Waits (really) until some task was scheduled, for events that arrive on other threads. */
    synchronized void awaitScheduled(long timeoutMillis) throws InterruptedException {
        long end = System.currentTimeMillis() + timeoutMillis;
        while (delays.isEmpty()) {
            long left = end - System.currentTimeMillis();
            if (left <= 0) {
                throw new AssertionError("nothing was scheduled within " + timeoutMillis + " ms");
            }
            wait(left);
        }
    }

    /** Time passes without running anything: a blocking step (a connect attempt) that took this long. */
    synchronized void elapse(long nanos) {
        now += nanos;
    }

    /** One-shot tasks waiting to run, not cancelled. */
    synchronized long pending() {
        return queue.stream().filter(t -> !t.cancelled).count();
    }

    /** Runs the earliest task, moving the clock to its time; false when none is due at all. */
    boolean runNext() {
        Task t;
        synchronized (this) {
            t = queue.poll();
            if (t == null) {
                return false;
            }
            now = Math.max(now, t.at);
        }
        if (!t.cancelled) {
            t.run.run();
        }
        return true;
    }

    final class Task implements ScheduledFuture<Object> {
        final long at;
        final long order = seq++;
        final Runnable run;
        volatile boolean cancelled;

        Task(long at, Runnable run) {
            this.at = at;
            this.run = run;
        }

        @Override
        public long getDelay(TimeUnit unit) {
            return unit.convert(at - nanoTime(), TimeUnit.NANOSECONDS);
        }

        @Override
        public int compareTo(Delayed o) {
            Task t = (Task) o;
            return at != t.at ? Long.compare(at, t.at) : Long.compare(order, t.order);
        }

        @Override
        public boolean cancel(boolean mayInterrupt) {
            cancelled = true;
            return true;
        }

        @Override
        public boolean isCancelled() {
            return cancelled;
        }

        @Override
        public boolean isDone() {
            return cancelled;
        }

        @Override
        public Object get() {
            return null;
        }

        @Override
        public Object get(long timeout, TimeUnit unit) {
            return null;
        }
    }

    @Override
    public synchronized ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
        long d = unit.toNanos(delay);
        delays.add(d);
        Task t = new Task(now + d, command);
        queue.add(t);
        notifyAll();
        return t;
    }

    @Override
    public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
        throw new UnsupportedOperationException();
    }

    @Override
    public synchronized ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
        return new Task(Long.MAX_VALUE, command);
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay, TimeUnit unit) {
        return scheduleAtFixedRate(command, initialDelay, delay, unit);
    }

    @Override
    public void execute(Runnable command) {
        schedule(command, 0, TimeUnit.NANOSECONDS);
    }

    @Override
    public void shutdown() {
    }

    @Override
    public List<Runnable> shutdownNow() {
        return List.of();
    }

    @Override
    public boolean isShutdown() {
        return false;
    }

    @Override
    public boolean isTerminated() {
        return false;
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
        return true;
    }
}
