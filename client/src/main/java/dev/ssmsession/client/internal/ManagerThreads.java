package dev.ssmsession.client.internal;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads a {@code SessionManager} starts: daemon threads (a library never keeps the JVM alive), and its
 * scheduler's threads marked so that work which might block on a socket can tell it must move elsewhere.
 */
public final class ManagerThreads {
    private static final AtomicInteger COUNT = new AtomicInteger();
    private static final ThreadLocal<Boolean> SCHEDULER = ThreadLocal.withInitial(() -> false);

    private ManagerThreads() {}

    /** Daemon threads named {@code prefix + n}. */
    public static ThreadFactory daemon(String prefix) {
        return r -> {
            Thread t = new Thread(r, prefix + COUNT.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** Like {@link #daemon} for the scheduler: {@link #isScheduler()} is true on these threads. */
    public static ThreadFactory scheduler(String prefix) {
        ThreadFactory daemon = daemon(prefix);
        return r -> daemon.newThread(() -> {
            SCHEDULER.set(true);
            r.run();
        });
    }

    /** Whether the current thread is a scheduler thread (which must never block). */
    static boolean isScheduler() {
        return SCHEDULER.get();
    }
}
