package dev.ssmsession.client.internal;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The reconnect schedule on a manual clock: no sockets, no sleeping. */
@Tag("pure")
class ReconnectPolicyTest {
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);
    private final ReconnectPolicy exact = new ReconnectPolicy(d -> d);

    @Test
    void backoffDoublesFromAHundredMillisecondsUpToFiveSeconds() {
        List<Long> delays = new ArrayList<>();
        long now = 0;
        long backoff = ReconnectPolicy.INITIAL_BACKOFF_MILLIS;
        for (int i = 0; i < 9; i++) {
            ReconnectPolicy.Next next = exact.afterFailure(now, 3_600 * SECOND, backoff, 0).orElseThrow();
            delays.add(next.delayMillis());
            now += TimeUnit.MILLISECONDS.toNanos(next.delayMillis());
            backoff = next.backoffAfterMillis();
        }
        assertThat(delays).containsExactly(100L, 200L, 400L, 800L, 1_600L, 3_200L, 5_000L, 5_000L, 5_000L);
    }

    @Test
    void noAttemptStartsAfterTheDeadline() {
        long deadline = 10 * SECOND;
        long now = 0;
        long backoff = ReconnectPolicy.INITIAL_BACKOFF_MILLIS;
        int attempts = 0;
        for (Optional<ReconnectPolicy.Next> next; (next = exact.afterFailure(now, deadline, backoff, 0)).isPresent(); ) {
            now += TimeUnit.MILLISECONDS.toNanos(next.get().delayMillis());
            backoff = next.get().backoffAfterMillis();
            attempts++;
            assertThat(now).isLessThanOrEqualTo(deadline);
        }
        // 0.1 + 0.2 + 0.4 + 0.8 + 1.6 + 3.2 = 6.3 s; the next wait (5 s) would end at 11.3 s
        assertThat(attempts).isEqualTo(6);
        assertThat(now).isEqualTo(6_300 * TimeUnit.MILLISECONDS.toNanos(1));
    }

    @Test
    void anAttemptExactlyAtTheDeadlineStartsAndTheMinimumAttemptTimeIsReserved() {
        assertThat(exact.afterFailure(0, 800 * TimeUnit.MILLISECONDS.toNanos(1), 800, 0)).isPresent();
        assertThat(exact.afterFailure(1, 800 * TimeUnit.MILLISECONDS.toNanos(1), 800, 0)).isEmpty();
        // the first open: an attempt that would have less than a second left does not start
        assertThat(exact.afterFailure(0, 1_799 * TimeUnit.MILLISECONDS.toNanos(1), 800, 1_000)).isEmpty();
        assertThat(exact.afterFailure(0, 1_800 * TimeUnit.MILLISECONDS.toNanos(1), 800, 1_000)).isPresent();
    }

    @Test
    void theDefaultJitterWaitsBetweenHalfAndAllOfTheBackoff() {
        ReconnectPolicy jittered = ReconnectPolicy.jittered();
        for (int i = 0; i < 1_000; i++) {
            long delay = jittered.afterFailure(0, 3_600 * SECOND, 400, 0).orElseThrow().delayMillis();
            assertThat(delay).isBetween(200L, 399L);
        }
    }
}
