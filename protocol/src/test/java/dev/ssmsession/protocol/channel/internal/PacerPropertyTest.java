package dev.ssmsession.protocol.channel.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.Property;
import net.jqwik.api.Tag;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

@Tag("pure")
class PacerPropertyTest {

    private static final long SECOND = 1_000_000_000L;

    /** Whatever the timer jitter, no one-second window sees more than rate + max(2, rate/100) messages. */
    @Property(tries = 200)
    void neverMoreThanTheRatePlusTheBurstInAnySecond(
            @ForAll @IntRange(min = 1, max = 2000) int rate,
            @ForAll("wakeups") List<Long> gaps,
            @ForAll @IntRange(min = 1, max = 100) int demandPerWakeup,
            @ForAll @LongRange(min = 0, max = 2 * SECOND) long initialIdle) {
        Pacer pacer = new Pacer(rate);
        long now = -7 * SECOND; // nanoTime may be negative
        List<Long> sent = new ArrayList<>();
        if (pacer.tryAcquire(now)) {
            sent.add(now);
        }
        now += initialIdle;
        for (long gap : gaps) {
            now += gap;
            for (int i = 0; i < demandPerWakeup && pacer.tryAcquire(now); i++) {
                sent.add(now);
            }
        }
        assertThat(maxInAnySecond(sent)).isLessThanOrEqualTo(rate + Math.max(2, rate / 100));
    }

    /** The worst case spelled out: an idle spell earns the full burst, then the timer fires every 1 ms. */
    @Property(tries = 60)
    void burstAfterIdleThenBusyStaysWithinTheBound(@ForAll @IntRange(min = 1, max = 5000) int rate) {
        Pacer pacer = new Pacer(rate);
        long now = 0;
        pacer.tryAcquire(now);
        now += 2 * SECOND;
        List<Long> sent = new ArrayList<>();
        for (long end = now + 2 * SECOND; now < end; now += 1_000_000) {
            while (pacer.tryAcquire(now)) {
                sent.add(now);
            }
        }
        // rate - 1: sends land on 1 ms wakeups, so a half-open second can miss the last slot.
        assertThat(maxInAnySecond(sent)).isBetween(rate - 1, rate + Math.max(2, rate / 100));
    }

    private static int maxInAnySecond(List<Long> sent) {
        int max = 0;
        int j = 0;
        for (int i = 0; i < sent.size(); i++) {
            while (sent.get(i) - sent.get(j) >= SECOND) {
                j++;
            }
            max = Math.max(max, i - j + 1);
        }
        return max;
    }

    /** Mostly short gaps (a busy timer), now and then a long idle that earns burst credit. */
    @Provide
    Arbitrary<List<Long>> wakeups() {
        Arbitrary<Long> busy = Arbitraries.longs().between(0, 3_000_000);
        Arbitrary<Long> idle = Arbitraries.longs().between(10_000_000, 2 * SECOND);
        return Arbitraries.frequencyOf(Tuple.of(500, busy), Tuple.of(1, idle)).list().ofMinSize(1).ofMaxSize(3000);
    }

    /** Woken exactly when it says, with demand waiting, it delivers the full rate. */
    @Property(tries = 50)
    void keepsTheFullRateWhenWokenOnTime(@ForAll @IntRange(min = 1, max = 5000) int rate) {
        Pacer pacer = new Pacer(rate);
        long start = 123_456_789L;
        long now = start;
        int sent = 0;
        while (now - start < 3 * SECOND) {
            while (pacer.tryAcquire(now)) {
                sent++;
            }
            now = pacer.availableAt(now);
            assertThat(pacer.availableAt(now)).isEqualTo(now);
        }
        assertThat(sent).isBetween(3 * rate, 3 * rate + 1);
    }

    /** A rate change (the adaptive controller's) applies from the next slot, in either direction. */
    @Property(tries = 50)
    void aNewRateAppliesFromTheNextSlot(@ForAll @IntRange(min = 1, max = 5000) int from,
                                        @ForAll @IntRange(min = 1, max = 5000) int to) {
        Pacer pacer = new Pacer(from);
        long now = 42L;
        while (now < SECOND) {
            while (pacer.tryAcquire(now)) {
                // drain at the old rate
            }
            now = pacer.availableAt(now);
        }
        pacer.setRate(to);
        assertThat(pacer.rate()).isEqualTo(to);
        long start = now;
        int sent = 0;
        while (now - start < 2 * SECOND) {
            while (pacer.tryAcquire(now)) {
                sent++;
            }
            now = pacer.availableAt(now);
        }
        assertThat(sent).as("2 s at the new rate, the slot in hand kept").isBetween(2 * to - 1, 2 * to + 1);
    }

    @Property(tries = 10)
    void unpacedNeverWaits(@ForAll @LongRange(min = Long.MIN_VALUE / 2, max = Long.MAX_VALUE / 2) long now) {
        Pacer pacer = new Pacer(0);
        for (int i = 0; i < 10_000; i++) {
            assertThat(pacer.tryAcquire(now)).isTrue();
        }
        assertThat(pacer.availableAt(now)).isEqualTo(now);
    }
}
