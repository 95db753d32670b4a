package dev.ssmsession.client.internal;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** RFC 6455 framing, against hand-checked bytes (RFC 6455 §5.7 examples where they apply). */
@Tag("pure")
class WebSocketFramesTest {
    private static final HexFormat HEX = HexFormat.of();

    @Test
    void maskedTextFrameMatchesTheRfcExample() {
        // RFC 6455 §5.7: a single-frame masked text message "Hello", mask 37 fa 21 3d
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        WebSocketFrames.writeMasked(out, WebSocketFrames.OP_TEXT, "Hello".getBytes(), 0x37fa213d);
        assertThat(HEX.formatHex(out.toByteArray())).isEqualTo("818537fa213d7f9f4d5158");
    }

    @Test
    void lengthsUseTheSevenSixteenAndSixtyFourBitForms() {
        assertThat(header(125)).isEqualTo("82fd");
        assertThat(header(126)).isEqualTo("82fe007e");
        assertThat(header(65535)).isEqualTo("82feffff");
        assertThat(header(65536)).isEqualTo("82ff0000000000010000");
    }

    private static String header(int len) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        WebSocketFrames.writeMasked(out, WebSocketFrames.OP_BINARY, new byte[len], 0);
        String hex = HEX.formatHex(out.toByteArray());
        return hex.substring(0, hex.length() - 2 * (len + 4));  // without the mask and the payload
    }

    @Test
    void readsUnmaskedFramesOfEveryLengthForm() throws Exception {
        var f = WebSocketFrames.read(in("810548656c6c6f"), 1 << 20);  // RFC: unmasked "Hello"
        assertThat(f.opcode()).isEqualTo(WebSocketFrames.OP_TEXT);
        assertThat(f.fin()).isTrue();
        assertThat(new String(f.payload())).isEqualTo("Hello");
        var big = WebSocketFrames.read(in("827e0100" + "ab".repeat(256)), 1 << 20);
        assertThat(big.payload()).hasSize(256);
        var huge = WebSocketFrames.read(in("827f0000000000010000" + "00".repeat(65536)), 1 << 20);
        assertThat(huge.payload()).hasSize(65536);
    }

    @Test
    void fragmentsAndControlFramesAreReportedAsTheyCome() throws Exception {
        // RFC 6455 §5.7: "Hel" then "lo", then a ping "Hello"
        var in = in("010348656c" + "80026c6f" + "890548656c6c6f");
        var first = WebSocketFrames.read(in, 100);
        assertThat(first.fin()).isFalse();
        assertThat(first.opcode()).isEqualTo(WebSocketFrames.OP_TEXT);
        var second = WebSocketFrames.read(in, 100);
        assertThat(second.opcode()).isEqualTo(WebSocketFrames.OP_CONTINUATION);
        assertThat(second.fin()).isTrue();
        var ping = WebSocketFrames.read(in, 100);
        assertThat(ping.isControl()).isTrue();
        assertThat(ping.opcode()).isEqualTo(WebSocketFrames.OP_PING);
    }

    @Test
    void protocolViolationsNameTheProblem() {
        assertThatThrownBy(() -> WebSocketFrames.read(in("8285" + "00".repeat(9)), 100))
                .isInstanceOf(WebSocketFrames.ProtocolException.class).hasMessageContaining("masked frame");
        assertThatThrownBy(() -> WebSocketFrames.read(in("c200"), 100)).hasMessageContaining("reserved bits");
        assertThatThrownBy(() -> WebSocketFrames.read(in("8300"), 100)).hasMessageContaining("unknown opcode 0x3");
        assertThatThrownBy(() -> WebSocketFrames.read(in("097e0080" + "00".repeat(128)), 1000))
                .hasMessageContaining("control frame");
        assertThatThrownBy(() -> WebSocketFrames.read(in("827e0100"), 255))
                .isInstanceOf(WebSocketFrames.ProtocolException.class)
                .satisfies(e -> assertThat(((WebSocketFrames.ProtocolException) e).closeCode()).isEqualTo(1009))
                .hasMessageContaining("exceeds the 255-byte limit");
    }

    @Test
    void aStreamThatEndsInsideAFrameIsAnEndOfFile() {
        assertThatThrownBy(() -> WebSocketFrames.read(in(""), 100)).isInstanceOf(EOFException.class);
        assertThatThrownBy(() -> WebSocketFrames.read(in("82"), 100)).isInstanceOf(EOFException.class);
        assertThatThrownBy(() -> WebSocketFrames.read(in("8205abcd"), 100)).isInstanceOf(EOFException.class);
    }

    @Test
    void acceptKeyMatchesTheRfcExample() {
        assertThat(WebSocketConnection.acceptFor("dGhlIHNhbXBsZSBub25jZQ==")).isEqualTo("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
    }

    private static ByteArrayInputStream in(String hex) {
        return new ByteArrayInputStream(HEX.parseHex(hex));
    }
}
