package dev.ssmsession.protocol.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Inputs Jazzer found ({@link ClientMessageCodecFuzzTest}), kept as plain regression tests. */
@Tag("pure")
class ClientMessageCodecFindingsTest {
    private static final ClientMessageCodec CODEC = ClientMessageCodec.withMaxFrameSize(64 * 1024);

    /**
     * MessageType bytes {@code "acknowledge" + 13 spaces + "-" 00 00 80 00 00 20 00}: decoding strips the
     * trailing NUL, then the space, leaving {@code "…-\0\0\uFFFD\0\0"}. Re-encoded that is exactly 32 bytes, no
     * space padding protects the NULs, and the frame decoded as a different type. The encoder now refuses a
     * type that would not decode to itself.
     */
    @Test
    void aTypeThatWouldNotDecodeToItselfIsNotEncoded() {
        byte[] frame = HexFormat.of().parseHex("0000007461636b6e6f776c65646765202020202020202020202020202d00008000002000000000010000018bcfe5680000000000000000000000000000000003000102030405060708090a0b0c0d0e0f0f318baee196c0abca2cda129de62c5034a933ccf9ae46ce5e8487d8c298718e00000000000000b67b2241636b6e6f776c65646765644d65737361676554797065223a2022696e7075745f73747265616d5f64617461222c202241636b6e6f776c65646765644d6573736167654964223a202230303131323233332d343435352d343637372d383839392d616162626363646465656666222c202241636b6e6f776c65646765644d65737361676553657175656e63654e756d626572223a20302c2022497353657175656e7469616c4d657373616765223a20747275657d");
        ClientMessage m = CODEC.decode(frame);
        assertThat(m.messageType()).endsWith("-\0\0\uFFFD\0\0");
        assertThatThrownBy(() -> CODEC.encode(m)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("starts or ends with NUL or whitespace");
    }

    @Test
    void paddedTypesAreRefusedAndPlainOnesStillRoundTrip() {
        ClientMessage plain = CODEC.decode(frame("output_stream_data"));
        assertThat(CODEC.decode(CODEC.encode(plain))).isEqualTo(plain);
        for (String bad : new String[] {"output_stream_data ", " output_stream_data", "output_stream_data\0", "\0x"}) {
            ClientMessage m = new ClientMessage(bad, 1, 1, 0, 0, plain.messageId(), 1, new byte[] {1});
            assertThatThrownBy(() -> CODEC.encode(m)).as("%s", bad.replace("\0", "\\0")).isInstanceOf(IllegalArgumentException.class);
        }
    }

    private static byte[] frame(String type) {
        ClientMessage m = new ClientMessage(type, 1, 1_700_000_000_000L, 0, 0, java.util.UUID.randomUUID(), 1, new byte[] {'x'});
        return CODEC.encode(m);
    }
}
