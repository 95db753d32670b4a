package dev.ssmsession.protocol.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ssmsession.protocol.message.PayloadType;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("pure")
class OutboundTest {

    private static DataChannelConfig.Builder unpaced() {
        return DataChannelConfig.builder().messagesPerSecond(0);
    }

    @Test
    void clientDataMessagesShareOneCounterAndCarryFlagsZero() {
        Fixture f = Fixture.client();
        f.offer("ls");
        f.channel.sendMessage(PayloadType.SIZE, "{\"cols\":80,\"rows\":24}".getBytes(StandardCharsets.UTF_8));
        f.offer("\r");

        List<byte[]> data = f.listener.dataFrames();
        assertThat(data).extracting(TestFrames::messageType).containsOnly("input_stream_data");
        assertThat(data).extracting(TestFrames::sequenceNumber).containsExactly(0L, 1L, 2L);
        assertThat(data).extracting(TestFrames::flags).containsOnly(0L);
        assertThat(data).extracting(TestFrames::payloadType).containsExactly(1, 3, 1);
        assertThat(data).extracting(TestFrames::payloadText).containsExactly("ls", "{\"cols\":80,\"rows\":24}", "\r");
        assertThat(data).extracting(TestFrames::createdDate).containsOnly(ManualClock.EPOCH_MILLIS_AT_START);
    }

    @Test
    void agentMarksOnlyItsFirstDataMessageSyn() {
        Fixture f = new Fixture(ChannelRole.AGENT, unpaced().build());
        f.offer("a");
        f.offer("b");

        assertThat(f.listener.dataFrames()).extracting(TestFrames::messageType).containsOnly("output_stream_data");
        assertThat(f.listener.dataFrames()).extracting(TestFrames::flags).containsExactly(1L, 0L);
    }

    @Test
    void largeOffersAreSplitIntoChunks() {
        Fixture f = Fixture.client(unpaced().chunkSize(1024).build());
        byte[] data = bytes(2500);
        assertThat(f.channel.offerOutput(data, 0, data.length)).isEqualTo(2500);

        assertThat(f.listener.dataFrames()).extracting(x -> TestFrames.payload(x).length).containsExactly(1024, 1024, 452);
        assertThat(concat(f.listener.dataFrames())).isEqualTo(data);
    }

    /** A blocked writer is woken once a quarter of the room is free, not for every message that leaves. */
    @Test
    void writabilityHasALowWaterMark() {
        Fixture f = Fixture.client(unpaced().chunkSize(4).maxUnacked(16).build());  // most room: 64 bytes
        byte[] data = bytes(200);
        assertThat(f.channel.offerOutput(data, 0, data.length)).isEqualTo(64);
        f.ackSent(0);
        f.ackSent(1);
        f.ackSent(2);
        assertThat(f.channel.outputRoom()).isEqualTo(12);
        assertThat(f.listener.writable).as("12 of 64 bytes free: below the mark").isZero();
        f.ackSent(3);
        assertThat(f.listener.writable).as("16 of 64: a quarter").isEqualTo(1);
        f.ackSent(4);
        assertThat(f.listener.writable).as("once per shortfall").isEqualTo(1);
    }

    @Test
    void fullWindowStopsSendingAndOffersReturnZeroUntilAcksOpenIt() {
        Fixture f = Fixture.client(unpaced().chunkSize(4).maxUnacked(3).build());
        byte[] data = bytes(100);

        int first = f.channel.offerOutput(data, 0, data.length);
        assertThat(first).isEqualTo(12);
        assertThat(f.listener.dataFrames()).hasSize(3);
        assertThat(f.channel.offerOutput(data, first, data.length - first)).isZero();
        assertThat(f.channel.outputRoom()).isZero();
        assertThat(f.listener.writable).isZero();

        f.ackSent(0);
        assertThat(f.listener.writable).isEqualTo(1);
        int second = f.channel.offerOutput(data, first, data.length - first);
        assertThat(second).isEqualTo(4);

        f.ackSent(1);
        f.ackSent(2);
        f.ackSent(3);
        int offset = first + second;
        while (offset < data.length) {
            int n = f.channel.offerOutput(data, offset, data.length - offset);
            assertThat(n).isPositive();
            offset += n;
            for (long s : f.listener.dataSequences()) {
                if (f.channel.stats().unacked() > 0 && s >= f.channel.stats().nextSequenceNumber() - f.channel.stats().unacked()) {
                    f.ackSent(s);
                }
            }
        }
        assertThat(concat(f.listener.dataFrames())).as("nothing dropped, nothing duplicated").isEqualTo(data);
    }

    @Test
    void pendingBytesBudgetLimitsWhatWaitsForPacingSlots() {
        Fixture f = Fixture.client(DataChannelConfig.builder().messagesPerSecond(10).maxPendingBytes(2048).build());
        byte[] data = bytes(10_000);

        int accepted = f.channel.offerOutput(data, 0, data.length);

        // The first chunk goes out at once, freeing its 1024 bytes of budget; then 2048 bytes wait.
        assertThat(accepted).isEqualTo(1024 + 2048);
        assertThat(f.channel.stats().pendingBytes()).isEqualTo(2048);
        f.runUntil(Duration.ofMillis(100).toNanos());
        assertThat(f.listener.writable).isEqualTo(1);
    }

    @Test
    void waitingBytesCoalesceIntoFullChunksAtThePacingRate() {
        Fixture f = Fixture.client(DataChannelConfig.builder().messagesPerSecond(10).build());
        f.offer("a");
        assertThat(f.listener.dataFrames()).extracting(TestFrames::payloadText).containsExactly("a");

        StringBuilder typed = new StringBuilder();
        for (int i = 0; i < 3000; i++) {
            String c = String.valueOf((char) ('a' + i % 26));
            f.offer(c);
            typed.append(c);
        }
        assertThat(f.listener.dataFrames()).as("no slot until 100 ms later").hasSize(1);

        f.runUntil(Duration.ofMillis(100).toNanos());
        f.ackSent(0);
        f.ackSent(1);
        assertThat(f.listener.dataFrames()).extracting(x -> TestFrames.payload(x).length).containsExactly(1, 1024);
        f.runUntil(Duration.ofMillis(300).toNanos());
        assertThat(f.listener.dataFrames()).extracting(x -> TestFrames.payload(x).length).containsExactly(1, 1024, 1024, 952);
        assertThat(new String(concat(f.listener.dataFrames()), StandardCharsets.UTF_8)).isEqualTo("a" + typed);
    }

    @Test
    void controlMessagesKeepTheirBoundaryAndOrderWithTheStream() {
        Fixture f = Fixture.client(DataChannelConfig.builder().messagesPerSecond(10).build());
        f.offer("x");
        f.offer("abc");
        f.channel.sendMessage(PayloadType.FLAG, new byte[] {0, 0, 0, 2});
        f.offer("def");
        f.offer("ghi");

        f.runAcking(Duration.ofMillis(300).toNanos());

        assertThat(f.listener.dataFrames()).extracting(TestFrames::payloadType).containsExactly(1, 1, 10, 1);
        assertThat(f.listener.dataFrames()).extracting(x -> TestFrames.payload(x).length).containsExactly(1, 3, 4, 6);
        assertThat(TestFrames.payloadText(f.listener.dataFrames().get(3))).isEqualTo("defghi");
    }

    @Test
    void pacingSendsAtMostTheConfiguredMessagesPerVirtualSecond() {
        Fixture f = Fixture.client(DataChannelConfig.builder().messagesPerSecond(950).maxPendingBytes(1 << 20).build());
        byte[] data = bytes(1 << 20);
        long second = 1_000_000_000L;
        int offered = 0;
        long[] sentAt = new long[4000];
        int count = 0;
        while (f.clock.elapsedNanos() < 3 * second) {
            offered += f.channel.offerOutput(data, offered % data.length, Math.min(data.length - offered % data.length, 64 * 1024));
            f.channel.tick();
            List<byte[]> frames = f.listener.dataFrames();
            for (int i = count; i < frames.size(); i++) {
                sentAt[count++] = f.clock.elapsedNanos();
                f.ackSent(TestFrames.sequenceNumber(frames.get(i)));
            }
            f.clock.advanceTo(f.channel.nextDeadlineNanos().orElseThrow());
        }
        int inSecondTwo = 0;
        int inSecondThree = 0;
        for (int i = 0; i < count; i++) {
            if (sentAt[i] >= second && sentAt[i] < 2 * second) {
                inSecondTwo++;
            } else if (sentAt[i] >= 2 * second && sentAt[i] < 3 * second) {
                inSecondThree++;
            }
        }
        assertThat(inSecondTwo).isBetween(949, 951);
        assertThat(inSecondThree).isBetween(949, 951);
        assertThat(f.listener.dataFrames()).extracting(x -> TestFrames.payload(x).length).containsOnly(1024);
        assertThat(f.channel.stats().messagesResent()).isZero();
    }

    @Test
    void pacingCreditAfterIdleIsLimitedToTenMilliseconds() {
        Fixture f = Fixture.client(DataChannelConfig.builder().messagesPerSecond(1000).build());
        f.offer("x");
        f.ackSent(0);
        f.clock.advanceMillis(5000);
        byte[] data = bytes(100 * 1024);
        f.channel.offerOutput(data, 0, data.length);

        assertThat(f.listener.dataFrames()).as("first message + a burst of 10 ms of slots").hasSize(1 + 10);
    }

    @Test
    void pausePublicationStopsNewAndResentDataUntilStartPublication() {
        Fixture f = Fixture.client();
        f.offer("before");
        f.channel.onFrame(TestFrames.control("pause_publication", "{}"));
        f.offer("during");
        f.runUntil(Duration.ofSeconds(2).toNanos());
        assertThat(f.listener.dataFrames()).extracting(TestFrames::payloadText).as("no new data, no resend").containsExactly("before");

        f.channel.onFrame(TestFrames.control("start_publication", "{}"));

        assertThat(f.listener.dataFrames()).extracting(TestFrames::payloadText).containsExactly("before", "before", "during");
    }

    @Test
    void anyDataOrAckEndsAPause() {
        Fixture f = Fixture.client();
        f.channel.onFrame(TestFrames.control("pause_publication", "{}"));
        f.offer("queued");
        assertThat(f.listener.dataFrames()).isEmpty();

        f.channel.onFrame(TestFrames.output(0, "hi"));

        assertThat(f.listener.dataFrames()).extracting(TestFrames::payloadText).containsExactly("queued");
    }

    @Test
    void whileTheTransportIsDownNothingIsWrittenAndReconnectResendsAllUnackedInOrder() {
        Fixture f = Fixture.client();
        f.offer("one");
        f.offer("two");
        f.offer("three");
        f.ackSent(1);
        f.channel.transportDown();
        f.offer("four");
        f.runUntil(Duration.ofSeconds(10).toNanos());
        assertThat(f.listener.dataFrames()).hasSize(3);

        f.channel.transportUp();

        List<byte[]> data = f.listener.dataFrames();
        assertThat(data.subList(3, data.size())).extracting(TestFrames::payloadText).containsExactly("one", "three", "four");
        assertThat(data.get(3)).as("identical bytes").isSameAs(data.get(0));
        assertThat(f.channel.stats().messagesResent()).isEqualTo(2);
    }

    @Test
    void sendMessageRejectsWhatTheAgentCannotRead() {
        Fixture f = Fixture.client();
        assertThatThrownBy(() -> f.channel.sendMessage(PayloadType.SIZE, new byte[0]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("empty");
        assertThatThrownBy(() -> f.channel.sendMessage(PayloadType.NONE, new byte[1]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("NONE");
    }

    @Test
    void offersAfterChannelClosedFailClearly() {
        Fixture f = Fixture.client();
        f.channel.onFrame(TestFrames.control("channel_closed", "{}"));

        assertThatThrownBy(() -> f.offer("x")).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }

    static byte[] bytes(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 31 + i / 256);
        }
        return b;
    }

    static byte[] concat(List<byte[]> frames) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        frames.forEach(x -> out.writeBytes(TestFrames.payload(x)));
        return out.toByteArray();
    }
}
