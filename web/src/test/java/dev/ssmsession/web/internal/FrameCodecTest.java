package dev.ssmsession.web.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Golden vectors from RFC 6455 §5.7, split and fragmented input, and each rule's refusal. */
@Tag("pure")
class FrameCodecTest {
    private static final HexFormat HEX = HexFormat.of();

    /** Records what the reader reported. */
    static final class Events implements FrameReader.Listener {
        final List<String> seen = new ArrayList<>();

        @Override
        public void onText(String text) {
            seen.add("text:" + text);
        }

        @Override
        public void onBinary(byte[] bytes) {
            seen.add("binary:" + HEX.formatHex(bytes));
        }

        @Override
        public void onPing(byte[] payload) {
            seen.add("ping:" + new String(payload));
        }

        @Override
        public void onClose(int code, String reason) {
            seen.add("close:" + code + ":" + reason);
        }
    }

    static List<String> read(String hex) throws IOException {
        return read(hex, 1 << 20);
    }

    static List<String> read(String hex, int max) throws IOException {
        FrameReader reader = new FrameReader(new ByteArrayInputStream(HEX.parseHex(hex)), max);
        Events events = new Events();
        try {
            while (reader.readFrame(events)) {
                // until close
            }
        } catch (EOFException end) {
            events.seen.add("eof");
        }
        return events.seen;
    }

    @Test
    void rfcMaskedHello() throws IOException {
        assertThat(read("818537fa213d7f9f4d5158")).containsExactly("text:Hello", "eof");
    }

    @Test
    void rfcFragmentedHelloWithAPingBetween() throws IOException {
        // "Hel" (not FIN), a ping, then "lo" as a continuation; masks of zero keep the bytes readable
        assertThat(read("018300000000" + "48656c" + "898000000000" + "808200000000" + "6c6f"))
                .containsExactly("ping:", "text:Hello", "eof");
    }

    @Test
    void sixteenBitLengthAndClose() throws IOException {
        String payload = "ab".repeat(256);
        assertThat(read("82fe0100" + "00000000" + payload + "888a00000000" + "03e8" + "676f6e65206e6f77"))
                .containsExactly("binary:" + payload, "close:1000:gone now");
    }

    @Test
    void refusals() {
        assertThatThrownBy(() -> read("810548656c6c6f")).hasMessage("client frame not masked");
        assertThatThrownBy(() -> read("c18000000000")).hasMessage("reserved bits set without an extension: 64");
        assertThatThrownBy(() -> read("89fe007e00000000" + "00".repeat(126)))
                .hasMessage("control frame payload of 126 bytes (max 125)");
        assertThatThrownBy(() -> read("098000000000")).hasMessage("fragmented control frame, opcode 9");
        assertThatThrownBy(() -> read("808100000000" + "61")).hasMessage("continuation frame without a message");
        assertThatThrownBy(() -> read("018100000000" + "61" + "818100000000" + "62"))
                .hasMessage("new message (opcode 1) inside a fragmented one");
        assertThatThrownBy(() -> read("838000000000")).hasMessage("unknown opcode 3");
        assertThatThrownBy(() -> read("818200000000" + "c328")).isInstanceOf(WebSocketException.class)
                .hasMessage("text message is not valid UTF-8")
                .extracting(e -> ((WebSocketException) e).closeCode()).isEqualTo(1007);
        assertThatThrownBy(() -> read("828500000000" + "0102030405", 4))
                .hasMessage("message of more than 4 bytes")
                .extracting(e -> ((WebSocketException) e).closeCode()).isEqualTo(1009);
        assertThatThrownBy(() -> read("888100000000" + "03")).hasMessage("close frame with a 1-byte payload");
    }

    @Test
    void writerFramesAreUnmaskedWithTheShortestLength() throws IOException {
        assertThat(written(WebSocketProtocol.OPCODE_TEXT, "Hello".getBytes())).isEqualTo("810548656c6c6f");
        assertThat(written(WebSocketProtocol.OPCODE_BINARY, new byte[256])).startsWith("827e0100").hasSize(8 + 512);
        assertThat(written(WebSocketProtocol.OPCODE_BINARY, new byte[65536]))
                .startsWith("827f0000000000010000").hasSize(20 + 131072);
    }

    @Test
    void closeIsSentOnceAndNothingAfterIt() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        FrameWriter w = new FrameWriter(out);
        w.close(1000, "bye");
        w.close(1001, "again");
        assertThat(HEX.formatHex(out.toByteArray())).isEqualTo("880503e8627965");
        assertThatThrownBy(() -> w.write(WebSocketProtocol.OPCODE_TEXT, new byte[1], 0, 1))
                .hasMessage("WebSocket already closed");
    }

    @Test
    void aLongCloseReasonIsCutBetweenCharacters() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new FrameWriter(out).close(1008, "x" + "π".repeat(100));
        byte[] frame = out.toByteArray();
        assertThat(frame[1]).isEqualTo((byte) 125);             // 2-byte code + "x" + 61 × 2 bytes, no half π
        assertThat(new String(frame, 4, frame.length - 4, java.nio.charset.StandardCharsets.UTF_8))
                .isEqualTo("x" + "π".repeat(61));
    }

    @Test
    void acceptKeyOfTheRfcExample() {
        assertThat(WebSocketProtocol.acceptKey("dGhlIHNhbXBsZSBub25jZQ==")).isEqualTo("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
        assertThat(WebSocketProtocol.validKey("dGhlIHNhbXBsZSBub25jZQ==")).isTrue();
        assertThat(WebSocketProtocol.validKey("c2hvcnQ=")).isFalse();
        assertThat(WebSocketProtocol.validKey("not base64!")).isFalse();
    }

    private static String written(int opcode, byte[] payload) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new FrameWriter(out).write(opcode, payload, 0, payload.length);
        return HEX.formatHex(out.toByteArray());
    }
}
