package dev.ssmsession.web.internal;

import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Output sent to the page but not yet acknowledged as rendered. The page acks what xterm.js has written; the output
 * pump waits here while a full window is outstanding, so a page that renders slowly slows the remote down (through the
 * session's own backpressure) instead of piling frames up in the browser.
 */
public final class OutputWindow {
    private final long size;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition room = lock.newCondition();
    private long outstanding;
    private boolean closed;

    public OutputWindow(long size) {
        if (size <= 0) {
            throw new IllegalArgumentException("window size must be positive: " + size);
        }
        this.size = size;
    }

    /**
     * Waits until {@code n} more bytes fit (a chunk larger than the window goes out when nothing is outstanding), then
     * counts them as outstanding.
     *
     * @return false when the window was closed instead
     */
    public boolean acquire(int n) throws InterruptedException {
        lock.lock();
        try {
            while (!closed && outstanding > 0 && outstanding + n > size) {
                room.await();
            }
            if (closed) {
                return false;
            }
            outstanding += n;
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** The page rendered {@code n} bytes. An ack for more than is outstanding is an error of the page. */
    public void release(long n) {
        lock.lock();
        try {
            if (n < 0 || n > outstanding) {
                throw new IllegalArgumentException("ack of " + n + " bytes with " + outstanding + " outstanding");
            }
            outstanding -= n;
            room.signalAll();
        } finally {
            lock.unlock();
        }
    }

    public long outstanding() {
        lock.lock();
        try {
            return outstanding;
        } finally {
            lock.unlock();
        }
    }

    /** Wakes the pump for good (the page went away). */
    public void close() {
        lock.lock();
        try {
            closed = true;
            room.signalAll();
        } finally {
            lock.unlock();
        }
    }
}
