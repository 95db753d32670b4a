package dev.ssmsession.protocol.channel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ssmsession.protocol.crypto.PayloadDecryptionException;
import dev.ssmsession.protocol.message.PayloadType;
import dev.ssmsession.protocol.payload.ChannelClosed;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Adaptive pacing against simulated service paths, on virtual time: a sender with data always waiting
 * ({@code offerOutput} refilled after every step), a path that delays each data message by half the base
 * RTT, passes it through the service's rate cap — a FIFO queue at {@code cap} messages/s, as the testkit's
 * cap does (queueing grows the RTT), or a policer that drops what exceeds its bucket — and acks it after
 * the other half. Frames are read with {@link TestFrames}, not the production codec.
 */
@Tag("pure")
class AdaptivePacingTest {
    private static final long MS = 1_000_000L;
    private static final long SECOND = 1_000_000_000L;
    private static final DataChannelConfig ADAPTIVE = DataChannelConfig.builder()
            .pacing(DataChannelConfig.Pacing.ADAPTIVE).maxPendingBytes(256 * 1024).build();

    /** What the service does with a data message beyond its cap. */
    enum Excess { QUEUE, DROP }

    /** The path and its bookkeeping; one instance per simulated session. */
    static final class Path implements DataChannelListener {
        final ManualClock clock = new ManualClock();
        final long baseRtt;
        final int cap;            // messages per second through the service; 0 = no cap
        final Excess excess;
        final Random jitter;
        final long stallEvery;    // mean spacing of ack stalls (a descheduled thread), 0 = none
        final long stallLength;
        DataChannel channel;

        record Ack(long at, long seq, UUID id) {
        }

        final ArrayDeque<Ack> acks = new ArrayDeque<>();
        final Set<Long> acked = new HashSet<>();
        long lastDeparture = Long.MIN_VALUE;
        long theoreticalArrival = Long.MIN_VALUE;
        double tokens;
        long tokenTime;
        long maxQueueNanos;
        long dataMessages;
        final List<Long> sendTimes = new ArrayList<>();
        final List<Long> firstAckTimes = new ArrayList<>();
        final List<String> fallbacks = new ArrayList<>();
        long nextStall;

        Path(long baseRtt, int cap, Excess excess, long seed, long stallEvery, long stallLength) {
            this.baseRtt = baseRtt;
            this.cap = cap;
            this.excess = excess;
            this.jitter = new Random(seed);
            this.stallEvery = stallEvery;
            this.stallLength = stallLength;
            this.tokens = cap / 20.0;
            this.tokenTime = clock.nanoTime();
            this.nextStall = stallEvery == 0 ? Long.MAX_VALUE / 2 : clock.nanoTime() + stallEvery;
        }

        DataChannel open(DataChannelConfig config) {
            channel = DataChannel.create(config, ChannelRole.CLIENT, clock, new SequentialIds(3), this);
            return channel;
        }

        @Override
        public void writeFrame(byte[] frame) {
            if (!TestFrames.messageType(frame).equals("input_stream_data")) {
                return;
            }
            long now = clock.nanoTime();
            dataMessages++;
            sendTimes.add(now);
            long arrival = now + baseRtt / 2;
            long departure;
            if (cap == 0) {
                departure = arrival;
            } else if (excess == Excess.QUEUE) {
                // A shaper with the testkit's burst credit of cap/20 messages (GCRA virtual scheduling).
                long tolerance = (cap / 20 - 1) * (SECOND / cap);
                if (theoreticalArrival == Long.MIN_VALUE) {
                    theoreticalArrival = arrival;
                }
                departure = Math.max(arrival, theoreticalArrival - tolerance);
                if (lastDeparture != Long.MIN_VALUE) {
                    departure = Math.max(departure, lastDeparture);
                }
                theoreticalArrival = Math.max(departure, theoreticalArrival) + SECOND / cap;
                lastDeparture = departure;
            } else {
                tokens = Math.min(cap / 20.0, tokens + (arrival - tokenTime) * cap / (double) SECOND);
                tokenTime = arrival;
                if (tokens < 1) {
                    return; // policed: dropped, never acked
                }
                tokens -= 1;
                departure = arrival;
            }
            maxQueueNanos = Math.max(maxQueueNanos, departure - arrival);
            long ackAt = departure + baseRtt / 2;
            while (ackAt - (nextStall + stallLength) >= 0) {
                nextStall += stallEvery / 2 + (long) (jitter.nextDouble() * stallEvery);
            }
            if (ackAt - nextStall >= 0) {
                ackAt = nextStall + stallLength; // the client's reader was descheduled: acks wait, then come together
            }
            long seq = TestFrames.sequenceNumber(frame);
            Ack last = acks.peekLast();
            acks.addLast(new Ack(last == null ? ackAt : Math.max(ackAt, last.at()), seq, TestFrames.messageId(frame)));
        }

        /** Runs with data always waiting (or at most {@code appRate} messages/s), until {@code until} virtual ns. */
        void run(long until, int appRate) {
            byte[] chunk = new byte[1024];
            long end = clock.elapsedNanos() + until;
            long appBudgetStart = clock.nanoTime();
            long offered = 0;
            while (clock.elapsedNanos() < end) {
                if (channel.isOpen()) {
                    if (appRate == 0) {
                        while (channel.outputRoom() > 0 && channel.offerOutput(chunk, 0, Math.min(chunk.length, channel.outputRoom())) > 0) {
                            // keep the queue full
                        }
                    } else {
                        long due = (clock.nanoTime() - appBudgetStart) * appRate / SECOND + 1;
                        for (; offered < due; offered++) {
                            channel.offerOutput(chunk, 0, chunk.length);
                        }
                    }
                }
                long next = clock.nanoTime() + MS;
                var d = channel.nextDeadlineNanos();
                if (d.isPresent() && d.getAsLong() - next < 0) {
                    next = d.getAsLong();
                }
                if (!acks.isEmpty() && acks.peekFirst().at() - next < 0) {
                    next = acks.peekFirst().at();
                }
                if (next - clock.nanoTime() > 0) {
                    clock.advanceTo(next);
                }
                while (!acks.isEmpty() && acks.peekFirst().at() - clock.nanoTime() <= 0) {
                    Ack a = acks.pollFirst();
                    if (acked.add(a.seq())) {
                        firstAckTimes.add(clock.nanoTime());
                    }
                    channel.onFrame(TestFrames.ack("input_stream_data", a.id(), a.seq()));
                }
                channel.tick();
            }
        }

        /** Data messages delivered (first acks) per second between two elapsed times. */
        double deliveredPerSecond(long from, long to) {
            long origin = clock.nanoTime() - clock.elapsedNanos();
            long n = firstAckTimes.stream().filter(t -> t - origin >= from && t - origin < to).count();
            return n * (double) SECOND / (to - from);
        }

        /** Most data messages (new and resent) written in any one-second window after {@code from}. */
        int maxSentInAnySecond(long from) {
            long origin = clock.nanoTime() - clock.elapsedNanos();
            int max = 0;
            int j = 0;
            List<Long> s = sendTimes.stream().filter(t -> t - origin >= from).toList();
            for (int i = 0; i < s.size(); i++) {
                while (s.get(i) - s.get(j) >= SECOND) {
                    j++;
                }
                max = Math.max(max, i - j + 1);
            }
            return max;
        }

        @Override
        public Delivery onPayload(PayloadType type, long rawType, byte[] payload) {
            return Delivery.ACCEPTED;
        }

        @Override
        public void onChannelClosed(ChannelClosed closed) {
        }

        @Override
        public void onGiveUp(String reason) {
            throw new AssertionError("gave up: " + reason);
        }

        @Override
        public void onDecryptionFailure(PayloadType type, long sequenceNumber, PayloadDecryptionException cause) {
            throw new AssertionError(cause);
        }

        @Override
        public void onPacingFallback(String reason) {
            fallbacks.add(reason);
        }
    }

    @Test
    void settlesJustUnderAQueueingCapWithoutRetransmissionsOrABigQueue() {
        for (long rtt : new long[] {1 * MS, 60 * MS}) {
            Path p = new Path(rtt, 1000, Excess.QUEUE, 1, 0, 0);
            p.open(ADAPTIVE);
            p.run(20 * SECOND, 0);

            double settled = p.deliveredPerSecond(2 * SECOND, 20 * SECOND);
            // the cap's burst credit (50 messages) lets a little more than 1000/s through now and then
            assertThat(settled).as("delivered/s, base RTT %d ms", rtt / MS).isBetween(960.0, 1005.0);
            assertThat(p.maxQueueNanos).as("queue a probe builds, base RTT %d ms", rtt / MS).isLessThan(20 * MS);
            assertThat(p.channel.stats().messagesResent()).as("retransmissions").isZero();
            assertThat(p.fallbacks).isEmpty();
            assertThat(p.maxSentInAnySecond(2 * SECOND)).as("sent in any second").isLessThanOrEqualTo(1000 + 30);
        }
    }

    @Test
    void fixedPacingAgainstTheSameCapIsTheBaseline() {
        Path p = new Path(1 * MS, 1000, Excess.QUEUE, 1, 0, 0);
        p.open(DataChannelConfig.builder().pacing(DataChannelConfig.Pacing.FIXED).maxPendingBytes(256 * 1024).build());
        p.run(10 * SECOND, 0);

        assertThat(p.deliveredPerSecond(2 * SECOND, 10 * SECOND)).isBetween(949.0, 951.0);
        assertThat(p.channel.stats().pacingRate()).isEqualTo(950);
    }

    @Test
    void climbsPastTenMegabytesPerSecondWithoutACap() {
        // A long path climbs more slowly: each step waits a round trip to be judged.
        for (long[] c : new long[][] {{1, 2}, {60, 12}}) {
            long rtt = c[0] * MS;
            long by = c[1] * SECOND;
            Path p = new Path(rtt, 0, Excess.QUEUE, 1, 0, 0);
            p.open(ADAPTIVE);
            p.run(by + 2 * SECOND, 0);

            double rate = p.deliveredPerSecond(by, by + 2 * SECOND);
            assertThat(rate * 1024 / 1e6).as("MB/s after %d s, base RTT %d ms", c[1], c[0]).isGreaterThan(10.0);
            assertThat(p.channel.stats().messagesResent()).isZero();
            assertThat(p.fallbacks).isEmpty();
        }
    }

    /**
     * A cap far above the floor is climbed to fast, and its burst credit (50 ms of its rate) hides it until
     * spent: the queue then overshoots the 20 ms that probes near the floor keep to, but is drained.
     */
    @Test
    void findsAFasterCapAndDrainsTheQueueItsCreditHid() {
        Path p = new Path(2 * MS, 5000, Excess.QUEUE, 1, 0, 0);
        p.open(ADAPTIVE);
        p.run(15 * SECOND, 0);

        assertThat(p.deliveredPerSecond(5 * SECOND, 15 * SECOND)).isBetween(4500.0, 5025.0);
        assertThat(p.maxQueueNanos).isLessThan(50 * MS);
        assertThat(p.channel.stats().messagesResent()).isZero();
        assertThat(p.fallbacks).isEmpty();
    }

    @Test
    void ackStallsOnABusyMachineDoNotStopTheClimbOrCauseAFallback() {
        Path p = new Path(1 * MS, 0, Excess.QUEUE, 7, 200 * MS, 15 * MS);
        p.open(ADAPTIVE);
        p.run(8 * SECOND, 0);

        assertThat(p.deliveredPerSecond(4 * SECOND, 8 * SECOND) * 1024 / 1e6).isGreaterThan(10.0);
        assertThat(p.fallbacks).isEmpty();
    }

    @Test
    void aServiceThatDropsAboveItsCapEndsProbingOnceWithTheFixedRate() {
        Path p = new Path(1 * MS, 1000, Excess.DROP, 1, 0, 0);
        p.open(ADAPTIVE);
        p.run(20 * SECOND, 0);

        assertThat(p.fallbacks).hasSize(1);
        assertThat(p.fallbacks.get(0)).contains("retransmissions within one second while probing");
        assertThat(p.channel.stats().pacingFellBack()).isTrue();
        assertThat(p.channel.stats().pacingRate()).isEqualTo(950);
        // after the fall-back nothing more is dropped: sends stay at the floor
        assertThat(p.maxSentInAnySecond(p.sendTimes.size() > 0 ? 15 * SECOND : 0)).isLessThanOrEqualTo(950 + 9);
    }

    @Test
    void aPauseOrALostConnectionWhileProbingFallsBackButNotAtTheFloor() {
        Path atFloor = new Path(1 * MS, 0, Excess.QUEUE, 1, 0, 0);
        atFloor.open(ADAPTIVE);
        atFloor.channel.onFrame(TestFrames.control("pause_publication", "{}"));
        atFloor.channel.onFrame(TestFrames.control("start_publication", "{}"));
        atFloor.channel.transportDown();
        atFloor.channel.transportUp();
        assertThat(atFloor.fallbacks).isEmpty();

        Path paused = new Path(1 * MS, 0, Excess.QUEUE, 1, 0, 0);
        paused.open(ADAPTIVE);
        paused.run(2 * SECOND, 0);
        assertThat(paused.channel.stats().pacingRate()).isGreaterThan(950);
        paused.channel.onFrame(TestFrames.control("pause_publication", "{}"));
        assertThat(paused.fallbacks).singleElement().asString().contains("paused publication");
        assertThat(paused.channel.stats().pacingRate()).isEqualTo(950);
        paused.channel.onFrame(TestFrames.control("start_publication", "{}"));
        paused.run(2 * SECOND, 0);
        assertThat(paused.channel.stats().pacingRate()).as("stays fixed").isEqualTo(950);
        paused.channel.onFrame(TestFrames.control("pause_publication", "{}"));
        paused.channel.transportDown();
        assertThat(paused.fallbacks).as("told once").hasSize(1);

        Path cut = new Path(1 * MS, 0, Excess.QUEUE, 1, 0, 0);
        cut.open(ADAPTIVE);
        cut.run(2 * SECOND, 0);
        cut.channel.transportDown();
        assertThat(cut.fallbacks).singleElement().asString().contains("connection was lost");
        assertThat(cut.channel.stats().pacingRate()).isEqualTo(950);
    }

    @Test
    void anApplicationThatSendsLittleDoesNotRaiseTheRate() {
        Path p = new Path(1 * MS, 0, Excess.QUEUE, 1, 0, 0);
        p.open(ADAPTIVE);
        p.run(5 * SECOND, 300);

        assertThat(p.channel.stats().pacingRate()).isEqualTo(950);
        assertThat(p.channel.stats().messagesSent()).isBetween(1450L, 1550L);
    }

    @Test
    void anExplicitRateMeansFixedUnlessAdaptiveIsAsked() {
        assertThat(DataChannelConfig.builder().messagesPerSecond(700).build().pacing()).isEqualTo(DataChannelConfig.Pacing.FIXED);
        assertThat(DataChannelConfig.builder().messagesPerSecond(700).pacing(DataChannelConfig.Pacing.ADAPTIVE).build().pacing())
                .isEqualTo(DataChannelConfig.Pacing.ADAPTIVE);
        assertThat(DataChannelConfig.builder().build().pacing()).isEqualTo(DataChannelConfig.DEFAULT_PACING);

        Path p = new Path(1 * MS, 0, Excess.QUEUE, 1, 0, 0);
        p.open(DataChannelConfig.builder().messagesPerSecond(700).maxPendingBytes(256 * 1024).build());
        p.run(3 * SECOND, 0);
        assertThat(p.deliveredPerSecond(1 * SECOND, 3 * SECOND)).isBetween(699.0, 701.0);
    }
}
