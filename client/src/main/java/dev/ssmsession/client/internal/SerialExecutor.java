package dev.ssmsession.client.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * Runs tasks one at a time, in the order given, on a backing executor (the manager's I/O pool): a session's
 * futures complete there in order ({@code info()} before {@code ended()}), never on a WebSocket reader or a
 * scheduler thread, and a caller's callback that blocks holds up only this session's later callbacks. Once the
 * backing executor refuses work (the manager has closed), tasks either run on the submitting thread (so that a
 * future still completes) or are dropped (events nobody is left to hear).
 */
final class SerialExecutor implements Executor {
    private static final Logger log = LoggerFactory.getLogger(SerialExecutor.class);

    private final Executor backing;
    private final boolean inlineWhenRejected;
    private final Queue<Runnable> queue = new ArrayDeque<>();
    private boolean draining;

    /** @param inlineWhenRejected once {@code backing} refuses work: true runs tasks on the caller, false drops them */
    SerialExecutor(Executor backing, boolean inlineWhenRejected) {
        this.backing = Objects.requireNonNull(backing, "backing");
        this.inlineWhenRejected = inlineWhenRejected;
    }

    @Override
    public void execute(Runnable task) {
        Objects.requireNonNull(task, "task");
        synchronized (this) {
            queue.add(task);
            if (draining) {
                return;
            }
            draining = true;
        }
        try {
            backing.execute(this::drain);
        } catch (RejectedExecutionException e) {
            if (inlineWhenRejected) {
                drain();
            } else {
                synchronized (this) {
                    queue.clear();
                    draining = false;
                }
            }
        }
    }

    private void drain() {
        while (true) {
            Runnable next;
            synchronized (this) {
                next = queue.poll();
                if (next == null) {
                    draining = false;
                    return;
                }
            }
            try {
                next.run();
            } catch (RuntimeException e) {
                log.warn("A session callback failed: {}", e.toString());
            }
        }
    }
}
