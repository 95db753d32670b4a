package dev.ssmsession.cli;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** An in-memory output a test can wait on until some text has been written (no polling sleeps). */
final class WatchedOutput extends ByteArrayOutputStream {
    @Override
    public synchronized void write(int b) {
        super.write(b);
        notifyAll();
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) {
        super.write(b, off, len);
        notifyAll();
    }

    synchronized String text() {
        return toString(StandardCharsets.UTF_8);
    }

    /** Waits until {@code expected} appears after {@code from}; returns the index just past it. */
    synchronized int await(String expected, int from, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            int at = text().indexOf(expected, from);
            if (at >= 0) {
                return at + expected.length();
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("'" + expected + "' not written within " + timeout + "; got:\n" + text());
            }
            wait(Math.max(1, left / 1_000_000));
        }
    }
}
