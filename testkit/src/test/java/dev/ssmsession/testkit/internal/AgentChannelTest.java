package dev.ssmsession.testkit.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ssmsession.protocol.message.ClientMessage;
import dev.ssmsession.protocol.message.ClientMessageCodec;
import dev.ssmsession.protocol.message.PayloadType;
import dev.ssmsession.protocol.payload.Acknowledge;
import dev.ssmsession.protocol.payload.Payloads;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The simulated agent's reliability layer on virtual time. */
@Tag("pure")
class AgentChannelTest {
    final ClientMessageCodec codec = ClientMessageCodec.create();
    final AtomicLong now = new AtomicLong(1_700_000_000_000L);
    final AtomicLong ids = new AtomicLong();
    final List<byte[]> wire = new ArrayList<>();
    final List<AgentChannel.Delivered> delivered = new ArrayList<>();
    final AgentChannel ch = new AgentChannel(wire::add, now::get, () -> new UUID(0, ids.incrementAndGet()), delivered::add, 3);

    private ClientMessage sent(int i) {
        return codec.decode(wire.get(i));
    }

    private ClientMessage input(long seq, String text) {
        return new ClientMessage("input_stream_data", 1, now.get(), seq, 0, UUID.randomUUID(), 1, text.getBytes(StandardCharsets.UTF_8));
    }

    private ClientMessage ackFor(long seq) {
        return new ClientMessage("acknowledge", 1, now.get(), 0, 3, UUID.randomUUID(), 0,
                Payloads.toJson(new Acknowledge("output_stream_data", UUID.randomUUID().toString(), seq, true)));
    }

    @Test
    void firstOutputIsSynThenResentIdenticallyAfterTheRtoUntilAcked() {
        ch.send(PayloadType.OUTPUT, "a".getBytes(StandardCharsets.UTF_8));
        ch.send(PayloadType.OUTPUT, "b".getBytes(StandardCharsets.UTF_8));
        assertThat(sent(0).sequenceNumber()).isZero();
        assertThat(sent(0).flags()).isEqualTo(ClientMessage.FLAG_SYN);
        assertThat(sent(0).messageType()).isEqualTo("output_stream_data");
        assertThat(sent(1).sequenceNumber()).isEqualTo(1);
        assertThat(sent(1).flags()).isZero();

        now.addAndGet(200);
        ch.tick();
        assertThat(wire).hasSize(2); // not yet: RTO is 200 ms and must be exceeded
        now.addAndGet(1);
        ch.tick();
        assertThat(wire).hasSize(3);
        assertThat(wire.get(2)).isSameAs(wire.get(0)); // only the oldest, identical bytes

        ch.onFrame(ackFor(0));
        now.addAndGet(1000);
        ch.tick();
        assertThat(sent(wire.size() - 1).sequenceNumber()).isEqualTo(1);
        ch.onFrame(ackFor(1));
        assertThat(ch.drained()).isTrue();
        int before = wire.size();
        now.addAndGet(5000);
        ch.tick();
        assertThat(wire).hasSize(before);
        assertThat(ch.resends()).isEqualTo(2);
    }

    @Test
    void inputIsAckedBufferedWhenEarlyDeliveredInOrderAndDuplicatesAreReAcked() throws Exception {
        ch.onFrame(input(1, "second"));
        assertThat(delivered).isEmpty();
        ch.onFrame(input(0, "first"));
        assertThat(delivered).extracting(d -> new String(d.payload(), StandardCharsets.UTF_8)).containsExactly("first", "second");
        ch.onFrame(input(0, "first"));
        assertThat(delivered).hasSize(2);
        List<Long> acked = new ArrayList<>();
        for (byte[] f : wire) {
            ClientMessage m = codec.decode(f);
            assertThat(m.messageType()).isEqualTo("acknowledge");
            assertThat(m.flags()).isEqualTo(3);
            acked.add(Payloads.fromJson(m.payload(), Acknowledge.class).acknowledgedMessageSequenceNumber());
        }
        assertThat(acked).containsExactly(1L, 0L, 0L);
        assertThat(ch.expectedSequence()).isEqualTo(2);
    }

    @Test
    void pausePublicationHoldsOutputUntilStartPublication() {
        ch.onFrame(new ClientMessage("pause_publication", 1, now.get(), 0, 0, UUID.randomUUID(), 0, "{}".getBytes(StandardCharsets.UTF_8)));
        ch.send(PayloadType.OUTPUT, "held".getBytes(StandardCharsets.UTF_8));
        now.addAndGet(5000);
        ch.tick();
        assertThat(wire).isEmpty();
        ch.onFrame(new ClientMessage("start_publication", 1, now.get(), 0, 0, UUID.randomUUID(), 0, "{}".getBytes(StandardCharsets.UTF_8)));
        assertThat(wire).hasSize(1);
        assertThat(new String(sent(0).payload(), StandardCharsets.UTF_8)).isEqualTo("held");
    }

    @Test
    void aFullWindowBlocksTheProducerUntilAnAckFreesRoom() throws Exception {
        for (int i = 0; i < 3; i++) {
            ch.send(PayloadType.OUTPUT, new byte[] {(byte) i});
        }
        Thread producer = new Thread(() -> ch.send(PayloadType.OUTPUT, new byte[] {9}));
        producer.start();
        producer.join(200);
        assertThat(producer.isAlive()).as("blocked on the full window").isTrue();
        assertThat(wire).hasSize(3);
        ch.onFrame(ackFor(0));
        producer.join(10_000);
        assertThat(producer.isAlive()).isFalse();
        assertThat(sent(3).sequenceNumber()).isEqualTo(3);
    }

    @Test
    void encryptionSealsOutputStdErrAndExitCodeButNotHandshakeOrFlags() {
        byte[] key = new byte[64];
        for (int i = 0; i < 64; i++) {
            key[i] = (byte) i;
        }
        java.security.SecureRandom r = new java.security.SecureRandom();
        ch.enableEncryption(AesGcmCipher.forAgent(key, r));
        AesGcmCipher client = AesGcmCipher.forClient(key, r);
        ch.send(PayloadType.OUTPUT, "o".getBytes(StandardCharsets.UTF_8));
        ch.send(PayloadType.HANDSHAKE_COMPLETE, "{}".getBytes(StandardCharsets.UTF_8));
        ch.send(PayloadType.FLAG, new byte[] {0, 0, 0, 3});
        assertThat(client.decrypt(sent(0).payload())).containsExactly('o');
        assertThat(sent(1).payload()).containsExactly('{', '}');
        assertThat(sent(2).payload()).containsExactly(0, 0, 0, 3);
        ch.onFrame(new ClientMessage("input_stream_data", 1, now.get(), 0, 0, UUID.randomUUID(), 1, client.encrypt("in".getBytes(StandardCharsets.UTF_8))));
        ch.onFrame(new ClientMessage("input_stream_data", 1, now.get(), 1, 0, UUID.randomUUID(), 3, "{\"cols\":1,\"rows\":1}".getBytes(StandardCharsets.UTF_8)));
        assertThat(new String(delivered.get(0).payload(), StandardCharsets.UTF_8)).isEqualTo("in");
        assertThat(new String(delivered.get(1).payload(), StandardCharsets.UTF_8)).isEqualTo("{\"cols\":1,\"rows\":1}");
    }
}
