package dev.ssmsession.protocol.message;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.UUID;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Decode-side rules of SPEC §2.3: every broken rule names its field; publication messages skip validation. */
@Tag("pure")
class ClientMessageCodecErrorsTest {
    private static final ClientMessageCodec CODEC = ClientMessageCodec.create();
    private static final UUID ID = UUID.fromString("00112233-4455-4677-8899-aabbccddeeff");

    /** A valid output_stream_data frame carrying "hello\r\n", built by hand (SPEC §2 layout). */
    private static byte[] validFrame() {
        return HexFormat.of().parseHex(""
                + "00000074"
                + "6f75747075745f73747265616d5f64617461" + "20".repeat(14)
                + "00000001" + "0000019aca1eaf80" + "0000000000000000" + "0000000000000001"
                + "8899aabbccddeeff0011223344554677"
                + "cd2eca3535741f27a8ae40c31b0c41d4057a7a7b912b33b9aed86485d1c84676"   // sha256("hello\r\n")
                + "00000001" + "00000007" + "68656c6c6f0d0a");
    }

    private static byte[] withMessageType(byte[] frame, String type) {
        byte[] t = type.getBytes(UTF_8);
        Arrays.fill(frame, 4, 36, (byte) ' ');
        System.arraycopy(t, 0, frame, 4, t.length);
        return frame;
    }

    private static void assertMalformed(ThrowingCallable call, String field, String text) {
        assertThatThrownBy(call)
                .isInstanceOfSatisfying(MalformedMessageException.class, e -> assertThat(e.field()).isEqualTo(field))
                .hasMessageStartingWith(field + ":")
                .hasMessageContaining(text);
    }

    @Test
    void theHandBuiltFrameIsValid() {
        assertThat(CODEC.decode(validFrame()).payload()).asString(UTF_8).isEqualTo("hello\r\n");
    }

    @Test
    void shortFrame() {
        assertMalformed(() -> CODEC.decode(Arrays.copyOf(validFrame(), 119)), "frame", "length 119 is shorter than the 120-byte header");
        assertMalformed(() -> CODEC.decode(new byte[0]), "frame", "length 0");
    }

    @Test
    void headerLengthZero() {
        byte[] f = validFrame();
        ByteBuffer.wrap(f).putInt(0, 0);
        assertMalformed(() -> CODEC.decode(f), "HeaderLength", "cannot be zero");
    }

    @Test
    void headerLengthPastTheEnd() {
        byte[] f = validFrame();
        ByteBuffer.wrap(f).putInt(0, 124);   // 124 + 4 > 127
        assertMalformed(() -> CODEC.decode(f), "HeaderLength", "value 124 points past the end of a 127-byte frame");
        ByteBuffer.wrap(f).putInt(0, 0xFFFF_FFFF);
        assertMalformed(() -> CODEC.decode(f), "HeaderLength", "value 4294967295 points past the end");
    }

    @Test
    void headerLengthInsideTheFixedHeader() {
        byte[] f = validFrame();
        ByteBuffer.wrap(f).putInt(0, 100);
        assertMalformed(() -> CODEC.decode(f), "HeaderLength", "value 100 is shorter than the fixed header (116)");
    }

    @Test
    void emptyMessageType() {
        assertMalformed(() -> CODEC.decode(withMessageType(validFrame(), "")), "MessageType", "is missing");
        byte[] nuls = validFrame();
        Arrays.fill(nuls, 4, 36, (byte) 0);
        assertMalformed(() -> CODEC.decode(nuls), "MessageType", "is missing");
    }

    @Test
    void createdDateZero() {
        byte[] f = validFrame();
        ByteBuffer.wrap(f).putLong(40, 0);
        assertMalformed(() -> CODEC.decode(f), "CreatedDate", "is missing");
    }

    @Test
    void wrongDigest() {
        byte[] altered = validFrame();
        altered[altered.length - 1] ^= 1;   // payload byte changed, digest not
        assertMalformed(() -> CODEC.decode(altered), "PayloadDigest", "the 7-byte payload hashes to");

        byte[] badDigest = validFrame();
        badDigest[80] ^= (byte) 0x80;
        assertMalformed(() -> CODEC.decode(badDigest), "PayloadDigest", "is 4d2eca35");
    }

    @Test
    void digestIsCheckedEvenWhenPayloadLengthClaimsZero() {
        byte[] f = validFrame();
        ByteBuffer.wrap(f).putInt(116, 0);
        f[f.length - 1] ^= 1;
        assertMalformed(() -> CODEC.decode(f), "PayloadDigest", "hashes to");
    }

    @Test
    void payloadLengthIsNotUsedToSlice() {
        // SPEC §2.1: the payload is every byte after HeaderLength + 4; a lying PayloadLength allocates nothing.
        byte[] f = validFrame();
        ByteBuffer.wrap(f).putInt(116, 0xFFFF_FFFF);
        assertThat(CODEC.decode(f).payload()).asString(UTF_8).isEqualTo("hello\r\n");
    }

    @Test
    void oversizedFrame() {
        ClientMessageCodec small = ClientMessageCodec.withMaxFrameSize(126);
        assertMalformed(() -> small.decode(validFrame()), "frame", "length 127 exceeds the maximum frame size 126");
        assertThat(ClientMessageCodec.withMaxFrameSize(127).decode(validFrame()).payload()).hasSize(7);
    }

    @Test
    void publicationMessagesSkipValidation() {
        for (String type : new String[] {"start_publication", "pause_publication"}) {
            byte[] f = withMessageType(validFrame(), type);
            ByteBuffer.wrap(f).putInt(0, 116);
            ByteBuffer.wrap(f).putLong(40, 0);     // CreatedDate missing
            f[80] ^= 1;                             // digest wrong
            assertThat(CODEC.decode(f).messageType()).isEqualTo(type);

            byte[] zeroHeader = withMessageType(validFrame(), type);
            ByteBuffer.wrap(zeroHeader).putInt(0, 0); // HeaderLength 0 is tolerated too
            assertThat(CODEC.decode(zeroHeader).messageType()).isEqualTo(type);
        }
    }

    @Test
    void otherTypesAreValidated() {
        byte[] f = withMessageType(validFrame(), "channel_closed");
        ByteBuffer.wrap(f).putLong(40, 0);
        assertMalformed(() -> CODEC.decode(f), "CreatedDate", "is missing");
    }

    @Test
    void encodeRefusesWhatTheAgentCannotRead() {
        assertThatThrownBy(() -> CODEC.encode(new ClientMessage("x".repeat(33), 1, 1, 0, 0, ID, 1, new byte[] {1})))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("longer than 32 bytes");
        assertThatThrownBy(() -> CODEC.encode(new ClientMessage("input_stream_data", 1, 1, 0, 0, ID, 1, new byte[0])))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("payload must not be empty");
        assertThatThrownBy(() -> CODEC.encode(new ClientMessage("input_stream_data", 1, 1, 0, 0, ID, 1L << 32, new byte[] {1})))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PayloadType 4294967296 does not fit in a uint32");
        assertThatThrownBy(() -> ClientMessageCodec.withMaxFrameSize(130)
                .encode(new ClientMessage("input_stream_data", 1, 1, 0, 0, ID, 1, new byte[11])))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("exceeds the maximum frame size 130");
    }

    @Test
    void exactly32ByteMessageTypeFits() {
        ClientMessage m = new ClientMessage("t".repeat(32), 1, 1, 0, 0, ID, 1, new byte[] {1});
        assertThat(CODEC.decode(CODEC.encode(m))).isEqualTo(m);
    }

    @Test
    void decodeHonoursOffsetAndLength() {
        byte[] frame = validFrame();
        byte[] buf = new byte[frame.length + 10];
        Arrays.fill(buf, (byte) 0x77);
        System.arraycopy(frame, 0, buf, 5, frame.length);
        assertThat(CODEC.decode(buf, 5, frame.length)).isEqualTo(CODEC.decode(frame));
    }
}
