package dev.ssmsession.protocol.smux;

/**
 * Keepalive deadlines of one session on the injected ticker (SPEC §10.5): a NOP every interval,
 * and every timeout a check that some frame arrived since the last check. Deadlines compare by
 * difference, so a {@code System.nanoTime()}-style ticker may wrap.
 */
final class KeepAlive {
    private final long intervalNanos;
    private final long timeoutNanos;
    private long nextPingAt;
    private long nextCheckAt;
    private boolean frameArrived;

    KeepAlive(long intervalNanos, long timeoutNanos, long now) {
        this.intervalNanos = intervalNanos;
        this.timeoutNanos = timeoutNanos;
        this.nextPingAt = now + intervalNanos;
        this.nextCheckAt = now + timeoutNanos;
    }

    void frameArrived() {
        frameArrived = true;
    }

    /** Whether a NOP is due at {@code now}; if so, schedules the next one at the same cadence. */
    boolean pingDue(long now) {
        if (now - nextPingAt < 0) {
            return false;
        }
        nextPingAt += intervalNanos;
        if (now - nextPingAt >= 0) {
            nextPingAt = now + intervalNanos; // ticked late: no burst of catch-up NOPs
        }
        return true;
    }

    /**
     * Whether the peer went silent: a check is due at {@code now} and no frame arrived since the
     * last one. Unless silent, starts the next check window.
     */
    boolean silent(long now, boolean inputPaused) {
        if (now - nextCheckAt < 0) {
            return false;
        }
        // xtaci/smux closes only if nothing arrived AND its bucket is not exhausted: when the bucket
        // is full it stopped reading itself, so silence proves nothing.
        if (!frameArrived && !inputPaused) {
            return true;
        }
        frameArrived = false;
        nextCheckAt = now + timeoutNanos;
        return false;
    }

    long nextDeadline() {
        return nextPingAt - nextCheckAt <= 0 ? nextPingAt : nextCheckAt;
    }
}
