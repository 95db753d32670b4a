package dev.ssmsession.protocol.channel.internal;

/**
 * Jacobson/Karels round-trip estimator with the Go plugin's constants (SPEC §6.4): initial RTT
 * 100 ms, RTTVAR 0, RTO 200 ms, α 1/8, β 1/4, granularity 10 ms, RTO at most 1 s. Integer
 * nanoseconds; each step truncates, as Go's {@code time.Duration} conversion does.
 */
public final class RttEstimator {
    public static final long INITIAL_RTT_NANOS = 100_000_000L;
    public static final long INITIAL_RTO_NANOS = 200_000_000L;
    public static final long GRANULARITY_NANOS = 10_000_000L;
    public static final long MAX_RTO_NANOS = 1_000_000_000L;

    private long rtt = INITIAL_RTT_NANOS;
    private long rttVar;
    private long rto = INITIAL_RTO_NANOS;

    /** Folds in one sample: RTTVAR from the old RTT first, then RTT, then RTO (SPEC §6.4 order). */
    public void sample(long sampleNanos) {
        long r = Math.max(0, sampleNanos);
        rttVar = (3 * rttVar + Math.abs(rtt - r)) / 4;
        rtt = (7 * rtt + r) / 8;
        rto = Math.min(rtt + Math.max(GRANULARITY_NANOS, 4 * rttVar), MAX_RTO_NANOS);
    }

    public long rttNanos() {
        return rtt;
    }

    public long rttVarNanos() {
        return rttVar;
    }

    public long rtoNanos() {
        return rto;
    }
}
