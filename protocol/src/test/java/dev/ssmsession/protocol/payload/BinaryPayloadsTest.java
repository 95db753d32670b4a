package dev.ssmsession.protocol.payload;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Flag (4-byte big-endian) and ExitCode (text) payloads, SPEC §3.2 and §3.6. */
@Tag("pure")
class BinaryPayloadsTest {
    private static final HexFormat HEX = HexFormat.of();

    @Test
    void flagsAreFourByteBigEndian() {
        assertThat(HEX.formatHex(Flag.DISCONNECT_TO_PORT.encode())).isEqualTo("00000001");
        assertThat(HEX.formatHex(Flag.TERMINATE_SESSION.encode())).isEqualTo("00000002");
        assertThat(HEX.formatHex(Flag.CONNECT_TO_PORT_ERROR.encode())).isEqualTo("00000003");
        assertThat(Flag.decode(HEX.parseHex("00000001"))).isEqualTo(Flag.DISCONNECT_TO_PORT);
        assertThat(Flag.decode(HEX.parseHex("00000002"))).isEqualTo(Flag.TERMINATE_SESSION);
        assertThat(Flag.decode(HEX.parseHex("00000003"))).isEqualTo(Flag.CONNECT_TO_PORT_ERROR);
    }

    @Test
    void littleEndianOrUnknownFlagsAreRejectedWithTheirValue() {
        assertThatThrownBy(() -> Flag.decode(HEX.parseHex("03000000")))
                .isInstanceOf(PayloadFormatException.class).hasMessage("unknown Flag value 50331648 (0x03000000)");
        assertThatThrownBy(() -> Flag.decode(HEX.parseHex("ffffffff")))
                .isInstanceOf(PayloadFormatException.class).hasMessageContaining("4294967295");
        assertThatThrownBy(() -> Flag.decode(HEX.parseHex("0000000003")))
                .isInstanceOf(PayloadFormatException.class).hasMessage("Flag payload must be 4 bytes, got 5");
        assertThatThrownBy(() -> Flag.decode(new byte[0]))
                .isInstanceOf(PayloadFormatException.class).hasMessage("Flag payload must be 4 bytes, got 0");
    }

    @Test
    void exitCodeTextBothWays() {
        assertThat(new String(new ExitCode(0).toBytes(), UTF_8)).isEqualTo("EXIT_CODE: 0");
        assertThat(new String(new ExitCode(137).toBytes(), UTF_8)).isEqualTo("EXIT_CODE: 137");
        assertThat(ExitCode.parse("EXIT_CODE: 0".getBytes(UTF_8)).code()).isZero();
        assertThat(ExitCode.parse("EXIT_CODE: 42".getBytes(UTF_8)).code()).isEqualTo(42);
        assertThat(ExitCode.parse("EXIT_CODE: -1".getBytes(UTF_8)).code()).isEqualTo(-1);
        assertThat(ExitCode.parse("EXIT_CODE: 3\r\n".getBytes(UTF_8)).code()).isEqualTo(3);
    }

    @Test
    void malformedExitCodesAreRejected() {
        assertThatThrownBy(() -> ExitCode.parse("exit_code: 1".getBytes(UTF_8)))
                .isInstanceOf(PayloadFormatException.class).hasMessageContaining("does not start with 'EXIT_CODE: '");
        assertThatThrownBy(() -> ExitCode.parse("EXIT_CODE: one".getBytes(UTF_8)))
                .isInstanceOf(PayloadFormatException.class).hasMessageContaining("'one'");
        assertThatThrownBy(() -> ExitCode.parse("EXIT_CODE: 99999999999".getBytes(UTF_8)))
                .isInstanceOf(PayloadFormatException.class).hasMessageContaining("99999999999");
        assertThatThrownBy(() -> ExitCode.parse(new byte[0]))
                .isInstanceOf(PayloadFormatException.class).hasMessageContaining("0 bytes");
    }
}
