package dev.ssmsession.client.internal;

import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.LongUnaryOperator;

/**
 * When the next attempt to open a data channel starts, or that none does (SPEC §7.2): exponential backoff from
 * {@value #INITIAL_BACKOFF_MILLIS} ms to {@value #MAX_BACKOFF_MILLIS} ms, jittered, and no attempt that would start
 * after the deadline. Sans I/O: the caller passes the time and sleeps or schedules; the jitter is injected, so
 * tests decide on a manual clock.
 */
final class ReconnectPolicy {
    static final long INITIAL_BACKOFF_MILLIS = 100;
    static final long MAX_BACKOFF_MILLIS = 5_000;

    /** The wait before the next attempt, and the backoff to use after it, should it fail too. */
    record Next(long delayMillis, long backoffAfterMillis) {
    }

    private final LongUnaryOperator jitter;

    /** @param jitter the wait for a backoff of {@code d} ms; the default draws from [d/2, d) */
    ReconnectPolicy(LongUnaryOperator jitter) {
        this.jitter = jitter;
    }

    /** Jitter in [d/2, d): many clients cut at once do not retry in lock step. */
    static ReconnectPolicy jittered() {
        return new ReconnectPolicy(d -> d / 2 + ThreadLocalRandom.current().nextLong(Math.max(1, d / 2)));
    }

    /**
     * After an attempt failed at {@code nowNanos} with {@code backoffMillis} as the current backoff: the next
     * attempt, or empty (give up) when it would start later than {@code minAttemptMillis} before the deadline.
     */
    Optional<Next> afterFailure(long nowNanos, long deadlineNanos, long backoffMillis, long minAttemptMillis) {
        long delay = jitter.applyAsLong(backoffMillis);
        if (nowNanos + TimeUnit.MILLISECONDS.toNanos(delay + minAttemptMillis) - deadlineNanos > 0) {
            return Optional.empty();
        }
        return Optional.of(new Next(delay, Math.min(backoffMillis * 2, MAX_BACKOFF_MILLIS)));
    }
}
