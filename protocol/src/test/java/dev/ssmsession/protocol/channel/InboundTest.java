package dev.ssmsession.protocol.channel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ssmsession.protocol.message.PayloadType;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("pure")
class InboundTest {

    private final Fixture f = Fixture.client();
    private final RecordingListener l = f.listener;

    @Test
    void inOrderDataIsDeliveredThenAcked() {
        f.channel.onFrame(TestFrames.output(0, "hello"));
        f.channel.onFrame(TestFrames.output(1, " world"));

        assertThat(l.stream.toString(StandardCharsets.UTF_8)).isEqualTo("hello world");
        assertThat(l.events).containsExactly("payload 1 ACCEPTED", "ack 0", "payload 1 ACCEPTED", "ack 1");
        assertThat(f.channel.stats().expectedSequenceNumber()).isEqualTo(2);
    }

    @Test
    void duplicateOfADeliveredMessageIsReAckedAndNotDeliveredAgain() {
        f.channel.onFrame(TestFrames.output(0, "once"));
        f.channel.onFrame(TestFrames.output(0, "once"));

        assertThat(l.deliveredTexts()).containsExactly("once");
        assertThat(l.ackedSequences()).containsExactly(0L, 0L);
        assertThat(f.channel.stats().duplicatesReceived()).isEqualTo(1);
    }

    @Test
    void outOfOrderMessagesAreAckedOnArrivalAndDeliveredInOrder() {
        f.channel.onFrame(TestFrames.output(2, "c"));
        f.channel.onFrame(TestFrames.output(1, "b"));
        assertThat(l.delivered).isEmpty();
        assertThat(l.ackedSequences()).containsExactly(2L, 1L);

        f.channel.onFrame(TestFrames.output(0, "a"));

        assertThat(l.deliveredTexts()).containsExactly("a", "b", "c");
        assertThat(l.ackedSequences()).containsExactly(2L, 1L, 0L);
        assertThat(f.channel.stats().reorderBuffered()).isZero();
        assertThat(f.channel.stats().expectedSequenceNumber()).isEqualTo(3);
    }

    @Test
    void duplicateOfABufferedMessageIsReAckedAndDeliveredOnce() {
        f.channel.onFrame(TestFrames.output(1, "b"));
        f.channel.onFrame(TestFrames.output(1, "b"));
        f.channel.onFrame(TestFrames.output(0, "a"));

        assertThat(l.deliveredTexts()).containsExactly("a", "b");
        assertThat(l.ackedSequences()).containsExactly(1L, 1L, 0L);
    }

    @Test
    void handshakeIsAckedBeforeDeliveryAlsoWhenItArrivesOutOfOrder() {
        byte[] request = "{\"AgentVersion\":\"3.3.0.0\"}".getBytes(StandardCharsets.UTF_8);
        byte[] complete = "{\"HandshakeTimeToComplete\":1}".getBytes(StandardCharsets.UTF_8);
        f.channel.onFrame(TestFrames.output(1, PayloadType.HANDSHAKE_COMPLETE.wire(), complete));
        f.channel.onFrame(TestFrames.output(2, "shell$ "));
        assertThat(l.events).containsExactly("ack 1", "ack 2");

        f.channel.onFrame(TestFrames.output(0, PayloadType.HANDSHAKE_REQUEST.wire(), request));

        assertThat(l.events).containsExactly("ack 1", "ack 2", "ack 0", "payload 5 ACCEPTED", "payload 7 ACCEPTED", "payload 1 ACCEPTED");
        assertThat(l.delivered).extracting(RecordingListener.Delivered::type)
                .containsExactly(PayloadType.HANDSHAKE_REQUEST, PayloadType.HANDSHAKE_COMPLETE, PayloadType.OUTPUT);
        assertThat(l.delivered.get(0).payload()).isEqualTo(request);
    }

    @Test
    void inOrderHandshakeIsAckedEvenWhenTheListenerIsNotReady() {
        l.answer = d -> Delivery.NOT_READY;
        f.channel.onFrame(TestFrames.output(0, PayloadType.HANDSHAKE_REQUEST.wire(), "{}".getBytes(StandardCharsets.UTF_8)));

        assertThat(l.events).containsExactly("ack 0", "payload 5 NOT_READY");
        assertThat(f.channel.stats().expectedSequenceNumber()).isEqualTo(1);
    }

    @Test
    void notReadyMeansNoAckNoAdvanceUntilAcceptedOnResend() {
        l.answer = d -> Delivery.NOT_READY;
        f.channel.onFrame(TestFrames.output(0, "early"));
        assertThat(l.ackFrames()).isEmpty();
        assertThat(f.channel.stats().expectedSequenceNumber()).isZero();

        l.answer = d -> Delivery.ACCEPTED;
        f.channel.onFrame(TestFrames.output(0, "early"));

        assertThat(l.deliveredTexts()).containsExactly("early");
        assertThat(l.ackedSequences()).containsExactly(0L);
        assertThat(f.channel.stats().expectedSequenceNumber()).isEqualTo(1);
    }

    @Test
    void notReadyForAnAlreadyAckedBufferedMessageStallsUntilRetryDelivery() {
        f.channel.onFrame(TestFrames.output(1, "buffered"));
        l.answer = d -> d.text().equals("buffered") ? Delivery.NOT_READY : Delivery.ACCEPTED;
        f.channel.onFrame(TestFrames.output(0, "first"));
        assertThat(l.deliveredTexts()).containsExactly("first");
        assertThat(f.channel.stats().expectedSequenceNumber()).isEqualTo(1);
        assertThat(f.channel.stats().reorderBuffered()).isEqualTo(1);

        l.answer = d -> Delivery.ACCEPTED;
        f.channel.retryDelivery();

        assertThat(l.deliveredTexts()).containsExactly("first", "buffered");
        assertThat(l.ackedSequences()).containsExactly(1L, 0L);
        assertThat(f.channel.stats().expectedSequenceNumber()).isEqualTo(2);
    }

    @Test
    void aStalledBufferedMessageIsRetriedOnTheNextDataFrame() {
        f.channel.onFrame(TestFrames.output(1, "b"));
        l.answer = d -> d.text().equals("b") ? Delivery.NOT_READY : Delivery.ACCEPTED;
        f.channel.onFrame(TestFrames.output(0, "a"));
        assertThat(l.deliveredTexts()).containsExactly("a");

        l.answer = d -> Delivery.ACCEPTED;
        f.channel.onFrame(TestFrames.output(2, "c"));

        assertThat(l.deliveredTexts()).containsExactly("a", "b", "c");
        assertThat(l.ackedSequences()).containsExactly(1L, 0L, 2L);
    }

    @Test
    void onFrameFromInsideACallbackIsRefusedClearly() {
        l.answer = d -> {
            f.channel.onFrame(TestFrames.output(1, "nested"));
            return Delivery.ACCEPTED;
        };

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> f.channel.onFrame(TestFrames.output(0, "outer")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("inside a listener callback");
        assertThat(l.ackFrames()).as("the outer message was not consumed").isEmpty();

        l.answer = d -> Delivery.ACCEPTED;
        f.channel.onFrame(TestFrames.output(0, "outer"));
        assertThat(l.deliveredTexts()).containsExactly("outer");
    }

    @Test
    void fullReorderBufferDropsWithoutAckAndTheResendIsDeliveredLater() {
        Fixture small = Fixture.client(DataChannelConfig.builder().messagesPerSecond(0).reorderCapacity(2).build());
        small.channel.onFrame(TestFrames.output(1, "b"));
        small.channel.onFrame(TestFrames.output(2, "c"));
        small.channel.onFrame(TestFrames.output(3, "d"));
        assertThat(small.listener.ackedSequences()).containsExactly(1L, 2L);
        assertThat(small.channel.stats().reorderDropped()).isEqualTo(1);

        small.channel.onFrame(TestFrames.output(0, "a"));
        small.channel.onFrame(TestFrames.output(3, "d"));

        assertThat(small.listener.deliveredTexts()).containsExactly("a", "b", "c", "d");
        assertThat(small.listener.ackedSequences()).containsExactly(1L, 2L, 0L, 3L);
    }

    @Test
    void invalidFrameIsReportedDroppedAndNotAcked() {
        byte[] bad = TestFrames.output(0, "tampered");
        bad[bad.length - 1] ^= 1;
        f.channel.onFrame(bad);
        f.channel.onFrame(Arrays.copyOf(bad, 60));

        assertThat(l.invalid).extracting(e -> e.field()).containsExactly("PayloadDigest", "frame");
        assertThat(l.frames).isEmpty();
        assertThat(l.delivered).isEmpty();
        assertThat(f.channel.stats().invalidFrames()).isEqualTo(2);
    }

    @Test
    void ackWithUnreadableJsonIsReportedAsInvalid() {
        f.channel.onFrame(TestFrames.frame("acknowledge", 0, 3, TestFrames.idFor(9), 0, "not json".getBytes(StandardCharsets.UTF_8)));

        assertThat(l.invalid).singleElement().satisfies(e -> assertThat(e.field()).isEqualTo("Payload"));
    }

    @Test
    void theOtherDirectionsDataAndUnknownTypesAreIgnoredNotAcked() {
        f.channel.onFrame(TestFrames.input(0, 1, "x".getBytes(StandardCharsets.UTF_8)));
        f.channel.onFrame(TestFrames.control("agent_session_state", "{\"SessionState\":\"Connected\"}"));

        assertThat(l.ignored).extracting(m -> m.messageType()).containsExactly("input_stream_data", "agent_session_state");
        assertThat(l.frames).isEmpty();
        assertThat(l.delivered).isEmpty();
    }

    @Test
    void channelClosedIsParsedAndEndsTheChannel() {
        f.channel.onFrame(TestFrames.control("channel_closed",
                "{\"MessageId\":\"m\",\"CreatedDate\":\"1\",\"DestinationId\":\"i-0\",\"SessionId\":\"s-1\","
                        + "\"MessageType\":\"channel_closed\",\"SchemaVersion\":1,\"Output\":\"bye\",\"Extra\":true}"));

        assertThat(l.closed).singleElement().satisfies(c -> {
            assertThat(c.sessionId()).isEqualTo("s-1");
            assertThat(c.output()).isEqualTo("bye");
        });
        assertThat(f.channel.isOpen()).isFalse();
        f.channel.onFrame(TestFrames.output(0, "late"));
        assertThat(l.delivered).isEmpty();
        assertThat(l.frames).isEmpty();
    }

    @Test
    void channelClosedWithUnreadableJsonStillClosesTheChannel() {
        f.channel.onFrame(TestFrames.control("channel_closed", "{oops"));

        assertThat(l.closed).singleElement().satisfies(c -> {
            assertThat(c.messageType()).isEqualTo("channel_closed");
            assertThat(c.sessionId()).isNull();
        });
        assertThat(f.channel.isOpen()).isFalse();
    }
}
