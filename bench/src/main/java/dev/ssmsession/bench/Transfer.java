package dev.ssmsession.bench;

import java.util.Collection;

/**
 * One transfer's bytes and when its first and last byte reached the receiver (System.nanoTime of
 * this JVM: sender, tunnel and receiver all run here).
 */
record Transfer(long bytes, long firstNanos, long lastNanos, boolean verified) {

    /** MB/s with MB = 10^6 bytes, the unit of SPEC §6.6's "1.024 MB/s". */
    double megabytesPerSecond() {
        return rate(bytes, lastNanos - firstNanos);
    }

    /**
     * Several transfers run at once: all their bytes over the span from the earliest first byte to
     * the latest last byte.
     */
    static Transfer aggregate(Collection<Transfer> all) {
        long bytes = 0;
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        boolean verified = true;
        for (Transfer t : all) {
            bytes += t.bytes;
            first = Math.min(first, t.firstNanos);
            last = Math.max(last, t.lastNanos);
            verified &= t.verified;
        }
        return new Transfer(bytes, first, last, verified);
    }

    static double rate(long bytes, long nanos) {
        return nanos <= 0 ? Double.NaN : bytes * 1e3 / nanos;
    }
}
