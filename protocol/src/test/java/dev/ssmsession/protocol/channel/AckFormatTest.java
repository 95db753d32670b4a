package dev.ssmsession.protocol.channel;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The ack bytes, field by field against SPEC §2 and §3.3, read by hand. */
@Tag("pure")
class AckFormatTest {

    @Test
    void clientAckOfOutputStreamDataMatchesTheSpecFieldByField() {
        Fixture f = Fixture.client();
        UUID acked = UUID.fromString("00112233-4455-4677-8899-aabbccddeeff");
        f.clock.advanceMillis(1234);
        f.channel.onFrame(TestFrames.frame("output_stream_data", 7, 0, acked, 1, "x".getBytes(StandardCharsets.UTF_8)));
        // seq 7 is ahead of 0: buffered and acked immediately.
        assertThat(f.listener.frames).hasSize(1);
        byte[] ack = f.listener.frames.get(0);
        ByteBuffer b = ByteBuffer.wrap(ack);

        String json = "{\"AcknowledgedMessageType\":\"output_stream_data\","
                + "\"AcknowledgedMessageId\":\"00112233-4455-4677-8899-aabbccddeeff\","
                + "\"AcknowledgedMessageSequenceNumber\":7,"
                + "\"IsSequentialMessage\":true}";
        byte[] payload = json.getBytes(StandardCharsets.UTF_8);
        assertThat(ack).hasSize(120 + payload.length);
        assertThat(b.getInt(0)).as("HeaderLength").isEqualTo(116);
        assertThat(new String(ack, 4, 32, StandardCharsets.US_ASCII)).as("MessageType, space padded")
                .isEqualTo("acknowledge                     ");
        assertThat(b.getInt(36)).as("SchemaVersion").isEqualTo(1);
        assertThat(b.getLong(40)).as("CreatedDate").isEqualTo(ManualClock.EPOCH_MILLIS_AT_START + 1234);
        assertThat(b.getLong(48)).as("SequenceNumber").isZero();
        assertThat(b.getLong(56)).as("Flags SYN|FIN").isEqualTo(3);
        // SequentialIds(1) for CLIENT: first id is 00000001-0000-4000-8000-000000000001, least-significant half first.
        assertThat(HexFormat.of().formatHex(ack, 64, 80)).as("MessageId, half swapped")
                .isEqualTo("8000000000000001" + "0000000100004000");
        assertThat(Arrays.copyOfRange(ack, 80, 112)).as("PayloadDigest").isEqualTo(TestFrames.sha256(payload));
        assertThat(b.getInt(112)).as("PayloadType").isZero();
        assertThat(b.getInt(116)).as("PayloadLength").isEqualTo(payload.length);
        assertThat(new String(ack, 120, payload.length, StandardCharsets.UTF_8)).isEqualTo(json);
    }

    @Test
    void agentAckNamesInputStreamData() {
        Fixture f = new Fixture(ChannelRole.AGENT, DataChannelConfig.builder().messagesPerSecond(0).build());
        f.channel.onFrame(TestFrames.input(0, 1, "ls\r".getBytes(StandardCharsets.UTF_8)));

        byte[] ack = f.listener.frames.get(0);
        assertThat(TestFrames.payloadText(ack)).isEqualTo("{\"AcknowledgedMessageType\":\"input_stream_data\","
                + "\"AcknowledgedMessageId\":\"" + TestFrames.idFor(0) + "\","
                + "\"AcknowledgedMessageSequenceNumber\":0,\"IsSequentialMessage\":true}");
        assertThat(TestFrames.flags(ack)).isEqualTo(3);
    }

    @Test
    void everyAckHasAFreshMessageId() {
        Fixture f = Fixture.client();
        f.channel.onFrame(TestFrames.output(0, "a"));
        f.channel.onFrame(TestFrames.output(0, "a"));

        assertThat(f.listener.frames).extracting(TestFrames::messageId).doesNotHaveDuplicates();
    }
}
