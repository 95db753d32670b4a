package dev.ssmsession.protocol.channel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ssmsession.protocol.crypto.PayloadCipher;
import dev.ssmsession.protocol.crypto.PayloadDecryptionException;
import dev.ssmsession.protocol.message.PayloadType;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Which payload types are encrypted in which direction (SPEC §5.5), with a trivial cipher. */
@Tag("pure")
class EncryptionTest {

    /** "ENC" + bytes XOR 0x5A; anything without the marker fails like a bad GCM tag. */
    static final class XorCipher implements PayloadCipher {
        @Override
        public byte[] encrypt(byte[] plaintext) {
            byte[] out = new byte[plaintext.length + 3];
            out[0] = 'E';
            out[1] = 'N';
            out[2] = 'C';
            for (int i = 0; i < plaintext.length; i++) {
                out[i + 3] = (byte) (plaintext[i] ^ 0x5A);
            }
            return out;
        }

        @Override
        public byte[] decrypt(byte[] envelope) {
            if (envelope.length < 3 || envelope[0] != 'E' || envelope[1] != 'N' || envelope[2] != 'C') {
                throw new PayloadDecryptionException("envelope of " + envelope.length + " bytes failed authentication");
            }
            byte[] out = Arrays.copyOfRange(envelope, 3, envelope.length);
            for (int i = 0; i < out.length; i++) {
                out[i] ^= 0x5A;
            }
            return out;
        }
    }

    private static final XorCipher CIPHER = new XorCipher();
    private static final byte[] TEXT = "secret".getBytes(StandardCharsets.UTF_8);

    @Test
    void clientEncryptsOnlyOutput() {
        Fixture f = Fixture.client();
        f.channel.setCipher(CIPHER);
        f.offer("secret");
        f.channel.sendMessage(PayloadType.SIZE, TEXT);
        f.channel.sendMessage(PayloadType.FLAG, TEXT);
        f.channel.sendMessage(PayloadType.HANDSHAKE_RESPONSE, TEXT);
        f.channel.sendMessage(PayloadType.ENC_CHALLENGE_RESPONSE, TEXT);

        var data = f.listener.dataFrames();
        assertThat(TestFrames.payload(data.get(0))).isEqualTo(CIPHER.encrypt(TEXT));
        assertThat(data.subList(1, data.size())).extracting(TestFrames::payload).allSatisfy(p -> assertThat(p).isEqualTo(TEXT));
        assertThat(f.channel.stats().bytesSent()).as("wire bytes").isEqualTo(TEXT.length * 5L + 3);
    }

    @Test
    void agentEncryptsOutputStdErrAndExitCode() {
        Fixture f = new Fixture(ChannelRole.AGENT, DataChannelConfig.builder().messagesPerSecond(0).build());
        f.channel.setCipher(CIPHER);
        f.offer("secret");
        f.channel.sendMessage(PayloadType.STDERR, TEXT);
        f.channel.sendMessage(PayloadType.EXIT_CODE, TEXT);
        f.channel.sendMessage(PayloadType.HANDSHAKE_COMPLETE, TEXT);
        f.channel.sendMessage(PayloadType.FLAG, TEXT);

        assertThat(f.listener.dataFrames()).extracting(TestFrames::payload)
                .containsExactly(CIPHER.encrypt(TEXT), CIPHER.encrypt(TEXT), CIPHER.encrypt(TEXT), TEXT, TEXT);
    }

    @Test
    void clientDecryptsOutputStdErrAndExitCodeButNotHandshakeOrFlag() {
        Fixture f = Fixture.client();
        f.channel.setCipher(CIPHER);
        byte[] sealed = CIPHER.encrypt(TEXT);
        f.channel.onFrame(TestFrames.output(0, PayloadType.OUTPUT.wire(), sealed));
        f.channel.onFrame(TestFrames.output(1, PayloadType.STDERR.wire(), sealed));
        f.channel.onFrame(TestFrames.output(2, PayloadType.EXIT_CODE.wire(), sealed));
        f.channel.onFrame(TestFrames.output(3, PayloadType.HANDSHAKE_COMPLETE.wire(), TEXT));
        f.channel.onFrame(TestFrames.output(4, PayloadType.FLAG.wire(), TEXT));

        assertThat(f.listener.delivered).extracting(RecordingListener.Delivered::payload).allSatisfy(p -> assertThat(p).isEqualTo(TEXT));
        assertThat(f.listener.delivered).hasSize(5);
    }

    @Test
    void agentDecryptsOnlyOutput() {
        Fixture f = new Fixture(ChannelRole.AGENT, DataChannelConfig.builder().messagesPerSecond(0).build());
        f.channel.setCipher(CIPHER);
        f.channel.onFrame(TestFrames.input(0, PayloadType.OUTPUT.wire(), CIPHER.encrypt(TEXT)));
        f.channel.onFrame(TestFrames.input(1, PayloadType.SIZE.wire(), TEXT));

        assertThat(f.listener.delivered).extracting(RecordingListener.Delivered::payload).containsExactly(TEXT, TEXT);
    }

    @Test
    void decryptionHappensAtDeliverySoABufferedMessageUsesTheCipherSetMeanwhile() {
        Fixture f = Fixture.client();
        f.channel.onFrame(TestFrames.output(1, PayloadType.OUTPUT.wire(), CIPHER.encrypt(TEXT)));
        // The handshake's payload turns encryption on from inside the callback.
        f.listener.answer = d -> {
            if (d.type() == PayloadType.HANDSHAKE_REQUEST) {
                f.channel.setCipher(CIPHER);
            }
            return Delivery.ACCEPTED;
        };
        f.channel.onFrame(TestFrames.output(0, PayloadType.HANDSHAKE_REQUEST.wire(), "{}".getBytes(StandardCharsets.UTF_8)));

        assertThat(f.listener.delivered.get(1).payload()).isEqualTo(TEXT);
    }

    @Test
    void decryptionFailureIsASessionFailureAndIsNotAcked() {
        Fixture f = Fixture.client();
        f.channel.setCipher(CIPHER);
        f.channel.onFrame(TestFrames.output(0, PayloadType.OUTPUT.wire(), TEXT));

        assertThat(f.listener.decryptionFailures).singleElement().satisfies(e -> assertThat(e).hasMessageContaining("authentication"));
        assertThat(f.listener.ackFrames()).isEmpty();
        assertThat(f.listener.delivered).isEmpty();
        assertThat(f.channel.isOpen()).isFalse();
    }
}
