package dev.ssmsession.protocol.channel;

import java.time.Duration;

/** Virtual time for tests: starts at an arbitrary nanoTime origin and moves only when told. */
final class ManualClock implements ChannelClock {
    static final long EPOCH_MILLIS_AT_START = 1_764_320_000_000L;

    private long nanos = 5_000_000_000L;
    private long elapsed;

    @Override
    public long nanoTime() {
        return nanos;
    }

    @Override
    public long epochMillis() {
        return EPOCH_MILLIS_AT_START + elapsed / 1_000_000;
    }

    void advance(Duration d) {
        advanceNanos(d.toNanos());
    }

    void advanceMillis(long millis) {
        advanceNanos(millis * 1_000_000);
    }

    void advanceNanos(long n) {
        if (n < 0) {
            throw new IllegalArgumentException("time does not go back: " + n);
        }
        nanos += n;
        elapsed += n;
    }

    /** Moves to an absolute nanoTime value (not before now). */
    void advanceTo(long nanoTime) {
        advanceNanos(nanoTime - nanos);
    }

    /** Nanos since the clock was created. */
    long elapsedNanos() {
        return elapsed;
    }
}
