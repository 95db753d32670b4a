package dev.ssmsession.client.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The one lock of a session, its condition (signalled on every state change: room, data, start,
 * end) and the work queued to run once the outermost holder lets go: writing queued frames and
 * closing the socket go through it so that no I/O runs under the lock (OkHttp's RealWebSocket
 * discipline). Nothing queued here may block or run a caller's code: it runs on whichever thread
 * unlocks, a WebSocket reader or a scheduler thread included.
 */
final class SessionLock {
    private static final Logger log = LoggerFactory.getLogger(SessionLock.class);

    private final String sessionId;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final List<Runnable> afterUnlock = new ArrayList<>();
    private Runnable flusher = () -> { };
    private boolean outputQueued;

    SessionLock(String sessionId) {
        this.sessionId = sessionId;
    }

    /** What writes queued frames; runs once after the outermost unlock that follows {@link #outputQueued()}. */
    void flusher(Runnable flusher) {
        this.flusher = flusher;
    }

    /** Frames were queued under the lock (must hold it): the releasing thread writes them. */
    void outputQueued() {
        outputQueued = true;
    }

    /** Must hold the lock: whether frames are queued, and the releasing thread no longer writes them (the caller does). */
    boolean takeOutputQueued() {
        boolean queued = outputQueued;
        outputQueued = false;
        return queued;
    }

    void lock() {
        lock.lock();
    }

    boolean isHeldByCurrentThread() {
        return lock.isHeldByCurrentThread();
    }

    /** Releases the lock; the outermost release then runs what {@link #afterUnlock} queued. */
    void unlock() {
        List<Runnable> run = null;
        boolean flush = false;
        if (lock.getHoldCount() == 1) {
            if (!afterUnlock.isEmpty()) {
                run = new ArrayList<>(afterUnlock);
                afterUnlock.clear();
            }
            flush = outputQueued;
            outputQueued = false;
        }
        lock.unlock();
        if (flush) {
            // First: frames go out before futures complete or callbacks run.
            try {
                flusher.run();
            } catch (RuntimeException e) {
                log.warn("Session {} flush failed", sessionId, e);
            }
        }
        if (run != null) {
            for (Runnable r : run) {
                try {
                    r.run();
                } catch (RuntimeException e) {
                    log.warn("Session {} callback failed", sessionId, e);
                }
            }
        }
    }

    /** Queues {@code r} to run after the lock is released (must hold the lock). */
    void afterUnlock(Runnable r) {
        afterUnlock.add(r);
    }

    /** Waits for a state change (must hold the lock). */
    void await() throws InterruptedException {
        changed.await();
    }

    /** Wakes every waiter (must hold the lock). */
    void signalAll() {
        changed.signalAll();
    }
}
