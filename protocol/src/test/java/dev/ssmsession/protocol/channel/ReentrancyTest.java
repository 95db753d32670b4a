package dev.ssmsession.protocol.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Listener callbacks that call back into the engine, as the client's do (an offer from {@code
 * onWritable}, a retry from a delivery): the engine must neither nest its own work nor accept a
 * frame mid-call.
 */
@Tag("pure")
class ReentrancyTest {

    private final Fixture f = Fixture.client();

    @Test
    void anOfferFromInsideWriteFrameIsSentByTheRunningPumpNotANestedOne() {
        int[] depth = {0, 0};
        boolean[] offered = {false};
        f.listener.wire = frame -> {
            depth[0]++;
            depth[1] = Math.max(depth[1], depth[0]);
            if (!offered[0]) {
                offered[0] = true;
                byte[] more = "more".getBytes(StandardCharsets.UTF_8);
                assertThat(f.channel.offerOutput(more, 0, more.length)).isEqualTo(more.length);
            }
            depth[0]--;
        };

        f.offer("first");

        assertThat(depth[1]).as("writeFrame never nested").isEqualTo(1);
        assertThat(f.listener.dataSequences()).containsExactly(0L, 1L);
        assertThat(f.listener.dataFrames()).extracting(TestFrames::payloadText).containsExactly("first", "more");
    }

    @Test
    void onFrameFromInsideWriteFrameIsRefusedAndTheChannelCarriesOn() {
        f.listener.wire = frame -> f.channel.onFrame(TestFrames.output(0, "nested"));

        assertThatThrownBy(() -> f.offer("x"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("inside a listener callback");

        f.listener.wire = frame -> { };
        f.channel.onFrame(TestFrames.output(0, "later"));
        assertThat(f.listener.deliveredTexts()).containsExactly("later");
        f.ackSent(0);
        assertThat(f.channel.stats().unacked()).isZero();
        f.offer("y");
        assertThat(f.listener.dataSequences()).containsExactly(0L, 1L);
    }

    @Test
    void retryDeliveryFromInsideADeliveryDeliversEachBufferedMessageOnceInOrder() {
        f.listener.answer = d -> {
            f.channel.retryDelivery();
            return Delivery.ACCEPTED;
        };
        f.channel.onFrame(TestFrames.output(2, "c"));
        f.channel.onFrame(TestFrames.output(1, "b"));
        f.channel.onFrame(TestFrames.output(0, "a"));

        assertThat(f.listener.deliveredTexts()).containsExactly("a", "b", "c");
        assertThat(f.listener.ackedSequences()).containsExactly(2L, 1L, 0L);
        assertThat(f.channel.stats().expectedSequenceNumber()).isEqualTo(3);
        assertThat(f.channel.stats().reorderBuffered()).isZero();
    }
}
