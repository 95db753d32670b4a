package dev.ssmsession.protocol.channel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ssmsession.protocol.message.PayloadType;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A CLIENT and an AGENT engine over a perfect in-memory link: a handshake that turns encryption on
 * from inside the callbacks, then encrypted traffic both ways. Each side's wire bytes are checked
 * to be ciphertext exactly for the types SPEC §5.5 lists.
 */
@Tag("pure")
class BackToBackTest {

    private final ManualClock clock = new ManualClock();
    private final ArrayDeque<byte[]> toAgent = new ArrayDeque<>();
    private final ArrayDeque<byte[]> toClient = new ArrayDeque<>();
    private final RecordingListener clientSide = new RecordingListener();
    private final RecordingListener agentSide = new RecordingListener();
    private final DataChannelConfig config = DataChannelConfig.builder().messagesPerSecond(0).build();
    private final DataChannel client = DataChannel.create(config, ChannelRole.CLIENT, clock, new SequentialIds(1), clientSide);
    private final DataChannel agent = DataChannel.create(config, ChannelRole.AGENT, clock, new SequentialIds(2), agentSide);

    {
        clientSide.wire = toAgent::add;
        agentSide.wire = toClient::add;
    }

    private void pump() {
        while (!toAgent.isEmpty() || !toClient.isEmpty()) {
            clock.advanceMillis(1);
            for (byte[] f; (f = toAgent.poll()) != null; ) {
                agent.onFrame(f);
            }
            for (byte[] f; (f = toClient.poll()) != null; ) {
                client.onFrame(f);
            }
        }
    }

    @Test
    void handshakeTurnsEncryptionOnAndTrafficFlowsEncryptedBothWays() {
        EncryptionTest.XorCipher cipher = new EncryptionTest.XorCipher();
        clientSide.answer = d -> {
            if (d.type() == PayloadType.HANDSHAKE_REQUEST) {
                client.setCipher(cipher);
                client.sendMessage(PayloadType.HANDSHAKE_RESPONSE, "{\"ok\":true}".getBytes(StandardCharsets.UTF_8));
            }
            return Delivery.ACCEPTED;
        };
        agentSide.answer = d -> {
            if (d.type() == PayloadType.HANDSHAKE_RESPONSE) {
                agent.setCipher(cipher);
                agent.sendMessage(PayloadType.HANDSHAKE_COMPLETE, "{}".getBytes(StandardCharsets.UTF_8));
            }
            return Delivery.ACCEPTED;
        };

        agent.sendMessage(PayloadType.HANDSHAKE_REQUEST, "{\"RequestedClientActions\":[]}".getBytes(StandardCharsets.UTF_8));
        pump();
        agent.offerOutput("$ ".getBytes(StandardCharsets.UTF_8), 0, 2);
        agent.sendMessage(PayloadType.STDERR, "warn".getBytes(StandardCharsets.UTF_8));
        agent.sendMessage(PayloadType.EXIT_CODE, "EXIT_CODE: 3".getBytes(StandardCharsets.UTF_8));
        client.offerOutput("ls\r".getBytes(StandardCharsets.UTF_8), 0, 3);
        client.sendMessage(PayloadType.SIZE, "{\"cols\":80,\"rows\":24}".getBytes(StandardCharsets.UTF_8));
        pump();

        assertThat(clientSide.delivered).extracting(RecordingListener.Delivered::type).containsExactly(
                PayloadType.HANDSHAKE_REQUEST, PayloadType.HANDSHAKE_COMPLETE, PayloadType.OUTPUT, PayloadType.STDERR, PayloadType.EXIT_CODE);
        assertThat(clientSide.deliveredTexts().subList(2, 5)).containsExactly("$ ", "warn", "EXIT_CODE: 3");
        assertThat(agentSide.delivered).extracting(RecordingListener.Delivered::type).containsExactly(
                PayloadType.HANDSHAKE_RESPONSE, PayloadType.OUTPUT, PayloadType.SIZE);
        assertThat(agentSide.deliveredTexts().subList(1, 3)).containsExactly("ls\r", "{\"cols\":80,\"rows\":24}");

        // On the wire: the agent's Output/StdErr/ExitCode and the client's Output are ciphertext.
        assertThat(agentSide.dataFrames()).extracting(TestFrames::payloadText)
                .containsExactly("{\"RequestedClientActions\":[]}", "{}",
                        new String(cipher.encrypt("$ ".getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8),
                        new String(cipher.encrypt("warn".getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8),
                        new String(cipher.encrypt("EXIT_CODE: 3".getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8));
        assertThat(clientSide.dataFrames()).extracting(TestFrames::payloadText)
                .containsExactly("{\"ok\":true}",
                        new String(cipher.encrypt("ls\r".getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8),
                        "{\"cols\":80,\"rows\":24}");
        assertThat(agentSide.dataFrames()).extracting(TestFrames::flags).containsExactly(1L, 0L, 0L, 0L, 0L);
        assertThat(client.stats().unacked()).isZero();
        assertThat(agent.stats().unacked()).isZero();
        assertThat(client.stats().rttNanos()).as("1 ms samples pulled the RTT down from 100 ms").isLessThan(100_000_000L);
    }
}
