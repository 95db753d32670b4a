package dev.ssmsession.client.internal;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

@Tag("pure")
class TickTimerTest {
    @Test
    void earliestComparesByDifferenceSoNegativeAndWrappingTimesWork() {
        assertThat(TickTimer.earliest(OptionalLong.of(-5), OptionalLong.empty())).hasValue(-5);
        assertThat(TickTimer.earliest(OptionalLong.empty(), OptionalLong.of(-5))).hasValue(-5);
        assertThat(TickTimer.earliest(OptionalLong.of(-5), OptionalLong.of(-7))).hasValue(-7);
        assertThat(TickTimer.earliest(OptionalLong.of(Long.MAX_VALUE), OptionalLong.of(Long.MIN_VALUE)))
                .as("MIN_VALUE is just after MAX_VALUE on a wrapping scale").hasValue(Long.MAX_VALUE);
        assertThat(TickTimer.earliest(OptionalLong.empty(), OptionalLong.empty())).isEmpty();
    }

    @Test
    void rearmsOnlyForAnEarlierDeadline() {
        ManualScheduler scheduler = new ManualScheduler();
        AtomicInteger ticks = new AtomicInteger();
        TickTimer[] timer = counting(scheduler, ticks, 0);
        timer[0].arm(OptionalLong.of(1_000), OptionalLong.empty());
        timer[0].arm(OptionalLong.of(5_000), OptionalLong.empty());   // later: kept as is
        timer[0].arm(OptionalLong.empty(), OptionalLong.of(300));     // earlier: re-armed
        assertThat(scheduler.delays).containsExactly(1_000L, 300L);
        assertThat(scheduler.runNext()).isTrue();                      // the cancelled 1000 ns task is skipped later
        assertThat(ticks.get()).isEqualTo(1);
        assertThat(scheduler.nanoTime()).isEqualTo(300);
        assertThat(scheduler.runNext()).isTrue();
        assertThat(ticks.get()).isEqualTo(1);
        timer[0].arm(OptionalLong.of(2_000), OptionalLong.empty());   // after firing: scheduled afresh
        assertThat(scheduler.delays).last().isEqualTo(1_000L);
        timer[0].cancel();
        assertThat(scheduler.runNext()).isTrue();
        assertThat(ticks.get()).isEqualTo(1);
    }

    @Test
    void consecutiveTicksKeepTheirMinimumSpacing() {
        ManualScheduler scheduler = new ManualScheduler();
        AtomicInteger ticks = new AtomicInteger();
        TickTimer[] timer = counting(scheduler, ticks, 4_000);
        timer[0].arm(OptionalLong.of(100), OptionalLong.empty());       // the first tick is not held back
        assertThat(scheduler.delays).containsExactly(100L);
        scheduler.runNext();
        timer[0].arm(OptionalLong.of(1_100), OptionalLong.empty());     // due 1 µs later: waits for the spacing
        assertThat(scheduler.delays).last().isEqualTo(4_000L);
        scheduler.runNext();
        assertThat(ticks.get()).isEqualTo(2);
        assertThat(scheduler.nanoTime()).isEqualTo(4_100);
        timer[0].arm(OptionalLong.of(20_000), OptionalLong.empty());    // further away than the spacing: as asked
        assertThat(scheduler.delays).last().isEqualTo(15_900L);
    }

    /** A timer whose ticks count themselves (in an array: the tick refers to its own timer). */
    private static TickTimer[] counting(ManualScheduler scheduler, AtomicInteger ticks, long minSpacingNanos) {
        TickTimer[] timer = new TickTimer[1];
        timer[0] = new TickTimer(scheduler, scheduler::nanoTime, () -> {
            timer[0].fired();
            ticks.incrementAndGet();
        }, minSpacingNanos);
        return timer;
    }
}
