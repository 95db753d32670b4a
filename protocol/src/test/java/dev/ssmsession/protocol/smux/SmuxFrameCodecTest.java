package dev.ssmsession.protocol.smux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Golden frames written by hand from SPEC §10.1: version, cmd, uint16 LE length, uint32 LE sid. */
@Tag("pure")
class SmuxFrameCodecTest {
    private static final HexFormat HEX = HexFormat.of();

    static Stream<Arguments> goldenFrames() {
        byte[] hi = "hi".getBytes(StandardCharsets.US_ASCII);
        byte[] big = new byte[0x0102];
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) i;
        }
        StringBuilder bigHex = new StringBuilder();
        for (int i = 0; i < big.length; i++) {
            bigHex.append(String.format("%02x", i & 0xFF));
        }
        return Stream.of(
                // client → server (odd ids)
                Arguments.of("v1 SYN sid 3", "01" + "00" + "0000" + "03000000", SmuxFrame.syn(SmuxVersion.V1, 3)),
                Arguments.of("v1 FIN sid 3", "01" + "01" + "0000" + "03000000", SmuxFrame.fin(SmuxVersion.V1, 3)),
                Arguments.of("v1 PSH sid 3 'hi'", "01" + "02" + "0200" + "03000000" + "6869", SmuxFrame.psh(SmuxVersion.V1, 3, hi)),
                Arguments.of("v1 NOP", "01" + "03" + "0000" + "00000000", SmuxFrame.nop(SmuxVersion.V1)),
                Arguments.of("v1 PSH empty sid 5", "01" + "02" + "0000" + "05000000", SmuxFrame.psh(SmuxVersion.V1, 5, new byte[0])),
                // server → client (even ids), large ids and lengths show byte order
                Arguments.of("v1 SYN sid 0xfffffffe", "01" + "00" + "0000" + "feffffff", SmuxFrame.syn(SmuxVersion.V1, 0xFFFF_FFFEL)),
                Arguments.of("v1 PSH sid 0x01020304 len 258", "01" + "02" + "0201" + "04030201" + bigHex,
                        SmuxFrame.psh(SmuxVersion.V1, 0x01020304L, big)),
                Arguments.of("v2 SYN sid 2", "02" + "00" + "0000" + "02000000", SmuxFrame.syn(SmuxVersion.V2, 2)),
                Arguments.of("v2 FIN sid 2", "02" + "01" + "0000" + "02000000", SmuxFrame.fin(SmuxVersion.V2, 2)),
                Arguments.of("v2 PSH sid 2 'hi'", "02" + "02" + "0200" + "02000000" + "6869", SmuxFrame.psh(SmuxVersion.V2, 2, hi)),
                Arguments.of("v2 NOP", "02" + "03" + "0000" + "00000000", SmuxFrame.nop(SmuxVersion.V2)),
                Arguments.of("v2 UPD sid 3 consumed 0x12345678 window 65536",
                        "02" + "04" + "0800" + "03000000" + "78563412" + "00000100", SmuxFrame.upd(3, 0x12345678L, 65536)),
                Arguments.of("v2 UPD sid 0x80000001 consumed 0xffffffff window 262144",
                        "02" + "04" + "0800" + "01000080" + "ffffffff" + "00000400", SmuxFrame.upd(0x8000_0001L, 0xFFFF_FFFFL, 262144)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("goldenFrames")
    void encodesToGoldenBytes(String name, String hex, SmuxFrame frame) {
        assertThat(HEX.formatHex(SmuxFrameCodec.encode(frame))).isEqualTo(hex);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("goldenFrames")
    void decodesGoldenBytes(String name, String hex, SmuxFrame frame) {
        byte[] bytes = HEX.parseHex(hex);
        SmuxFrameDecoder decoder = new SmuxFrameDecoder(frame.version(), 32768);
        assertThat(decoder.decodeAll(bytes, 0, bytes.length)).containsExactly(frame);
        assertThat(decoder.state()).isEqualTo(SmuxFrameDecoder.State.HEADER);
    }

    @Test
    void updAccessorsReadLittleEndianBody() {
        byte[] bytes = HEX.parseHex("02040800" + "07000000" + "01020304" + "0a0b0c0d");
        SmuxFrame f = new SmuxFrameDecoder(SmuxVersion.V2, 32768).decodeAll(bytes, 0, bytes.length).get(0);
        assertThat(f.streamId()).isEqualTo(7);
        assertThat(f.updConsumed()).isEqualTo(0x04030201L);
        assertThat(f.updWindow()).isEqualTo(0x0d0c0b0aL);
    }

    @Test
    void encodePshSlicesWithoutChangingTheSource() {
        byte[] src = "xxhelloxx".getBytes(StandardCharsets.US_ASCII);
        assertThat(HEX.formatHex(SmuxFrameCodec.encodePsh(SmuxVersion.V1, 9, src, 2, 5)))
                .isEqualTo("01020500" + "09000000" + "68656c6c6f");
    }

    @Test
    void framesRejectValuesTheWireCannotCarry() {
        assertThatThrownBy(() -> SmuxFrame.syn(SmuxVersion.V1, 0x1_0000_0000L))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("4294967296");
        assertThatThrownBy(() -> SmuxFrame.psh(SmuxVersion.V1, 3, new byte[65536]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("65536");
        assertThatThrownBy(() -> new SmuxFrame(SmuxVersion.V1, SmuxCommand.UPD, 3, new byte[8]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("UPD").hasMessageContaining("version 1");
        assertThatThrownBy(() -> new SmuxFrame(SmuxVersion.V1, SmuxCommand.SYN, 3, new byte[1]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("SYN");
    }

    @Test
    void toStringNeverShowsData() {
        SmuxFrame f = SmuxFrame.psh(SmuxVersion.V1, 3, "secret-token".getBytes(StandardCharsets.US_ASCII));
        assertThat(f.toString()).doesNotContain("secret").contains("len=12");
    }

    @Test
    void commandsAndVersionsCarryWireValues() {
        assertThat(List.of(SmuxCommand.values())).extracting(SmuxCommand::wire).containsExactly(0, 1, 2, 3, 4);
        assertThat(SmuxCommand.fromWire(4, SmuxVersion.V1)).isEmpty();
        assertThat(SmuxCommand.fromWire(4, SmuxVersion.V2)).contains(SmuxCommand.UPD);
        assertThat(SmuxVersion.fromWire(2)).isEqualTo(SmuxVersion.V2);
        assertThatThrownBy(() -> SmuxVersion.fromWire(3)).hasMessageContaining("3");
    }
}
