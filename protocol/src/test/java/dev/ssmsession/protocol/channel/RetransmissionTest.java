package dev.ssmsession.protocol.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("pure")
class RetransmissionTest {

    private static final long MS = 1_000_000L;

    private final Fixture f = Fixture.client();

    @Test
    void initialEstimatesAreTheGoDefaults() {
        DataChannelStats s = f.channel.stats();
        assertThat(s.rttNanos()).isEqualTo(100 * MS);
        assertThat(s.rttVarNanos()).isZero();
        assertThat(s.rtoNanos()).isEqualTo(200 * MS);
    }

    @Test
    void oldestUnackedIsResentWithIdenticalBytesOncePerRto() {
        long t0 = f.clock.nanoTime();
        f.offer("a");
        f.offer("b");
        assertThat(f.channel.nextDeadlineNanos()).hasValue(t0 + 200 * MS);

        f.clock.advanceNanos(200 * MS - 1);
        f.channel.tick();
        assertThat(f.listener.dataFrames()).hasSize(2);

        f.clock.advanceNanos(1);
        f.channel.tick();
        assertThat(f.listener.dataFrames()).hasSize(3);
        assertThat(f.listener.dataFrames().get(2)).as("same bytes: same MessageId and CreatedDate").isEqualTo(f.listener.dataFrames().get(0));
        assertThat(f.channel.nextDeadlineNanos()).as("the resend time is stored").hasValue(t0 + 400 * MS);

        f.clock.advanceMillis(100);
        f.channel.tick();
        assertThat(f.listener.dataFrames()).as("no resend on every tick").hasSize(3);

        f.ackSent(0);
        // Only the oldest is looked at: "b" (sent at t0) is now overdue and goes at once.
        f.channel.tick();
        assertThat(f.listener.dataFrames()).extracting(TestFrames::payloadText).containsExactly("a", "b", "a", "b");
        assertThat(f.channel.stats().messagesResent()).isEqualTo(2);
    }

    @Test
    void rtoFollowsTheSpecFormulaExactly() {
        f.offer("1");
        f.clock.advanceMillis(50);
        f.ackSent(0);
        // RTTVAR = 3/4*0 + 1/4*|100-50| = 12.5; RTT = 7/8*100 + 1/8*50 = 93.75; RTO = 93.75 + max(10, 50)
        assertThat(f.channel.stats().rttVarNanos()).isEqualTo(12_500_000L);
        assertThat(f.channel.stats().rttNanos()).isEqualTo(93_750_000L);
        assertThat(f.channel.stats().rtoNanos()).isEqualTo(143_750_000L);

        f.offer("2");
        f.clock.advanceMillis(300);
        // No tick ran, so nothing was resent: the sample is 300 ms from the original send.
        f.ackSent(1);
        // RTTVAR = 3/4*12.5 + 1/4*|93.75-300| = 60.9375; RTT = 7/8*93.75 + 1/8*300 = 119.53125
        assertThat(f.channel.stats().rttVarNanos()).isEqualTo(60_937_500L);
        assertThat(f.channel.stats().rttNanos()).isEqualTo(119_531_250L);
        assertThat(f.channel.stats().rtoNanos()).isEqualTo(119_531_250L + 4 * 60_937_500L);

        f.offer("3");
        f.clock.advanceMillis(120);
        f.ackSent(2);
        // RTTVAR = 3/4*60.9375 + 1/4*|119.53125-120| = 45.8203125; RTT = 119.58984375 (truncated to ns)
        assertThat(f.channel.stats().rttVarNanos()).isEqualTo(45_820_312L);
        assertThat(f.channel.stats().rttNanos()).isEqualTo(119_589_843L);
        assertThat(f.channel.stats().rtoNanos()).isEqualTo(119_589_843L + 4 * 45_820_312L);
    }

    @Test
    void granularityIsTheFloorOfTheVarianceTerm() {
        f.offer("1");
        f.clock.advanceMillis(100);
        f.ackSent(0);

        assertThat(f.channel.stats().rttVarNanos()).isZero();
        assertThat(f.channel.stats().rtoNanos()).isEqualTo(110 * MS);
    }

    @Test
    void rtoIsCappedAtOneSecond() {
        f.offer("1");
        f.clock.advanceMillis(3000);
        f.ackSent(0);

        assertThat(f.channel.stats().rtoNanos()).isEqualTo(1000 * MS);
    }

    @Test
    void rttSampleOfAResentMessageCountsFromTheResend() {
        f.offer("1");
        f.clock.advanceMillis(200);
        f.channel.tick();
        assertThat(f.channel.stats().messagesResent()).isEqualTo(1);
        f.clock.advanceMillis(20);
        f.ackSent(0);

        // sample 20 ms: RTTVAR = 20, RTT = 90, RTO = 90 + 80
        assertThat(f.channel.stats().rttNanos()).isEqualTo(90 * MS);
        assertThat(f.channel.stats().rtoNanos()).isEqualTo(170 * MS);
    }

    @Test
    void ackOfAnUnknownSequenceIsIgnored() {
        f.offer("1");
        f.channel.onFrame(TestFrames.ack("input_stream_data", TestFrames.idFor(5), 5));

        assertThat(f.channel.stats().unacked()).isEqualTo(1);
        assertThat(f.channel.stats().messagesAcked()).isZero();
        assertThat(f.channel.stats().rtoNanos()).isEqualTo(200 * MS);
    }

    @Test
    void givesUpWhenTheOldestMessageStaysUnackedForTheDeadline() {
        Fixture g = Fixture.client(DataChannelConfig.builder().messagesPerSecond(0).giveUpAfter(Duration.ofSeconds(300)).build());
        g.offer("stuck");
        g.runUntil(Duration.ofSeconds(300).toNanos() - 1);
        assertThat(g.listener.giveUps).isEmpty();
        assertThat(g.channel.isOpen()).isTrue();
        int written = g.listener.frames.size();
        // Without samples the RTO stays 200 ms (SPEC §6.4 has no backoff): a resend every 200 ms.
        assertThat(g.channel.stats().messagesResent()).isEqualTo(1499);

        g.runUntil(Duration.ofSeconds(300).toNanos());

        assertThat(g.listener.giveUps).singleElement().asString()
                .contains("data message 0").contains("300000 ms").contains("1500 transmission");
        assertThat(g.channel.isOpen()).isFalse();
        assertThat(g.listener.frames).hasSize(written);
        assertThat(g.channel.nextDeadlineNanos()).isEmpty();
        assertThatThrownBy(() -> g.offer("more")).isInstanceOf(IllegalStateException.class).hasMessageContaining("failed");
        g.channel.onFrame(TestFrames.output(0, "late"));
        assertThat(g.listener.frames).hasSize(written);
    }

    @Test
    void giveUpDeadlineKeepsRunningWhileTheTransportIsDown() {
        Fixture g = Fixture.client(DataChannelConfig.builder().messagesPerSecond(0).giveUpAfter(Duration.ofSeconds(30)).build());
        g.offer("x");
        g.channel.transportDown();
        assertThat(g.channel.nextDeadlineNanos()).hasValue(g.clock.nanoTime() + Duration.ofSeconds(30).toNanos());

        g.runUntil(Duration.ofSeconds(30).toNanos());

        assertThat(g.listener.giveUps).hasSize(1);
        assertThat(g.listener.dataFrames()).hasSize(1);
    }

    @Test
    void progressMovesTheGiveUpDeadlineToTheNextOldestMessage() {
        Fixture g = Fixture.client(DataChannelConfig.builder().messagesPerSecond(0).giveUpAfter(Duration.ofSeconds(10)).build());
        g.offer("a");
        g.clock.advanceMillis(5000);
        g.offer("b");
        g.ackSent(0);
        g.runUntil(Duration.ofMillis(14_999).toNanos());
        assertThat(g.listener.giveUps).isEmpty();

        g.runUntil(Duration.ofSeconds(15).toNanos());
        assertThat(g.listener.giveUps).singleElement().asString().contains("data message 1");
    }
}
