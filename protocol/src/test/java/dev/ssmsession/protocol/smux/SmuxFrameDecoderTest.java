package dev.ssmsession.protocol.smux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

@Tag("pure")
class SmuxFrameDecoderTest {
    private static final HexFormat HEX = HexFormat.of();

    /** A mixed v2 stream: every command, an empty PSH, a 40 000-byte PSH, ids both ways. */
    private static List<SmuxFrame> mixedFrames(Random random) {
        List<SmuxFrame> frames = new ArrayList<>();
        frames.add(SmuxFrame.syn(SmuxVersion.V2, 3));
        frames.add(SmuxFrame.psh(SmuxVersion.V2, 3, randomBytes(random, 1)));
        frames.add(SmuxFrame.psh(SmuxVersion.V2, 3, new byte[0]));
        frames.add(SmuxFrame.nop(SmuxVersion.V2));
        frames.add(SmuxFrame.upd(3, 123456, 65536));
        frames.add(SmuxFrame.psh(SmuxVersion.V2, 2, randomBytes(random, 40_000)));
        frames.add(SmuxFrame.syn(SmuxVersion.V2, 0xFFFF_FFFEL));
        for (int i = 0; i < 50; i++) {
            frames.add(SmuxFrame.psh(SmuxVersion.V2, 5 + 2L * (i % 7), randomBytes(random, random.nextInt(3000))));
        }
        frames.add(SmuxFrame.fin(SmuxVersion.V2, 3));
        return frames;
    }

    private static byte[] randomBytes(Random random, int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    private static byte[] concat(List<SmuxFrame> frames) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        frames.forEach(f -> out.writeBytes(SmuxFrameCodec.encode(f)));
        return out.toByteArray();
    }

    @Test
    void wholeByteByByteAndRandomSplitsGiveTheSameFrames() {
        Random random = new Random(42);
        List<SmuxFrame> frames = mixedFrames(random);
        byte[] stream = concat(frames);

        SmuxFrameDecoder whole = new SmuxFrameDecoder(SmuxVersion.V2, 65535);
        assertThat(whole.decodeAll(stream, 0, stream.length)).containsExactlyElementsOf(frames);

        SmuxFrameDecoder single = new SmuxFrameDecoder(SmuxVersion.V2, 65535);
        List<SmuxFrame> bytewise = new ArrayList<>();
        for (int i = 0; i < stream.length; i++) {
            bytewise.addAll(single.decodeAll(stream, i, 1));
        }
        assertThat(bytewise).containsExactlyElementsOf(frames);

        for (int round = 0; round < 20; round++) {
            SmuxFrameDecoder split = new SmuxFrameDecoder(SmuxVersion.V2, 65535);
            List<SmuxFrame> got = new ArrayList<>();
            int pos = 0;
            while (pos < stream.length) {
                int n = Math.min(stream.length - pos, random.nextInt(round % 2 == 0 ? 20 : 20_000));
                got.addAll(split.decodeAll(stream, pos, n));
                pos += n;
            }
            assertThat(got).containsExactlyElementsOf(frames);
            assertThat(split.state()).isEqualTo(SmuxFrameDecoder.State.HEADER);
        }
    }

    @Test
    void partialInputWaitsInHeaderOrBodyState() {
        byte[] psh = HEX.parseHex("01020300" + "03000000" + "616263");
        SmuxFrameDecoder d = new SmuxFrameDecoder(SmuxVersion.V1, 32768);
        assertThat(d.decodeAll(psh, 0, 5)).isEmpty();
        assertThat(d.state()).isEqualTo(SmuxFrameDecoder.State.HEADER);
        assertThat(d.decodeAll(psh, 5, 4)).isEmpty();
        assertThat(d.state()).isEqualTo(SmuxFrameDecoder.State.BODY);
        assertThat(d.decodeAll(psh, 9, 2)).containsExactly(SmuxFrame.psh(SmuxVersion.V1, 3, "abc".getBytes()));
        assertThat(d.state()).isEqualTo(SmuxFrameDecoder.State.HEADER);
    }

    @ParameterizedTest
    @CsvSource({"0,32768", "1,32768", "32767,32768", "32768,32768", "65535,65535", "1000,1000"})
    void roundTripsEveryLengthUpToTheLimit(int length, int maxFrameSize) {
        byte[] data = randomBytes(new Random(length), length);
        for (SmuxVersion v : SmuxVersion.values()) {
            SmuxFrame frame = SmuxFrame.psh(v, 7, data);
            byte[] bytes = SmuxFrameCodec.encode(frame);
            assertThat(bytes).hasSize(8 + length);
            SmuxFrameDecoder d = new SmuxFrameDecoder(v, maxFrameSize);
            assertThat(d.decodeAll(bytes, 0, bytes.length)).containsExactly(frame);
        }
    }

    @Test
    void roundTripsManyLengths() {
        Random random = new Random(7);
        List<SmuxFrame> frames = new ArrayList<>();
        for (int len = 0; len <= 65535; len += 1 + random.nextInt(997)) {
            frames.add(SmuxFrame.psh(SmuxVersion.V1, 1 + 2L * len, randomBytes(random, len)));
        }
        frames.add(SmuxFrame.psh(SmuxVersion.V1, 9, randomBytes(random, 65535)));
        byte[] bytes = concat(frames);
        assertThat(new SmuxFrameDecoder(SmuxVersion.V1, 65535).decodeAll(bytes, 0, bytes.length))
                .containsExactlyElementsOf(frames);
    }

    @ParameterizedTest
    @CsvSource({"32769,32768", "65535,32768", "1001,1000"})
    void pshLongerThanTheMaxFrameSizeIsCorrupt(int length, int maxFrameSize) {
        byte[] bytes = SmuxFrameCodec.encode(SmuxFrame.psh(SmuxVersion.V1, 3, new byte[length]));
        SmuxFrameDecoder d = new SmuxFrameDecoder(SmuxVersion.V1, maxFrameSize);
        assertThatThrownBy(() -> d.decodeAll(bytes, 0, bytes.length))
                .isExactlyInstanceOf(SmuxProtocolException.class)
                .hasMessageContaining(String.valueOf(length))
                .hasMessageContaining("max frame size " + maxFrameSize);
        assertThat(d.state()).isEqualTo(SmuxFrameDecoder.State.CORRUPT);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 2, 3, 9, 255})
    void wrongVersionIsCorruptAndNamesTheValue(int version) {
        byte[] bytes = HEX.parseHex(String.format("%02x", version) + "03" + "0000" + "00000000");
        SmuxFrameDecoder d = new SmuxFrameDecoder(SmuxVersion.V1, 32768);
        assertThatThrownBy(() -> d.decodeAll(bytes, 0, bytes.length))
                .isExactlyInstanceOf(SmuxProtocolException.class)
                .hasMessageContaining("version " + version);
        assertThat(d.state()).isEqualTo(SmuxFrameDecoder.State.CORRUPT);
        assertThat(d.error()).isPresent();
    }

    @Test
    void unknownCommandIsCorruptAndNamesTheValue() {
        byte[] v1Upd = HEX.parseHex("01040800" + "03000000" + "0000000000000000");
        SmuxFrameDecoder v1 = new SmuxFrameDecoder(SmuxVersion.V1, 32768);
        assertThatThrownBy(() -> v1.decodeAll(v1Upd, 0, v1Upd.length))
                .isExactlyInstanceOf(SmuxProtocolException.class).hasMessageContaining("command 4");

        byte[] v2Five = HEX.parseHex("02050000" + "03000000");
        SmuxFrameDecoder v2 = new SmuxFrameDecoder(SmuxVersion.V2, 32768);
        assertThatThrownBy(() -> v2.decodeAll(v2Five, 0, v2Five.length))
                .isExactlyInstanceOf(SmuxProtocolException.class).hasMessageContaining("command 5");
        assertThat(v2.state()).isEqualTo(SmuxFrameDecoder.State.CORRUPT);
    }

    @Test
    void corruptDecoderRefusesFurtherInputWithItsOwnType() {
        byte[] good = SmuxFrameCodec.encode(SmuxFrame.nop(SmuxVersion.V1));
        byte[] bad = HEX.parseHex("07000000" + "00000000");
        SmuxFrameDecoder d = new SmuxFrameDecoder(SmuxVersion.V1, 32768);
        assertThat(d.decodeAll(good, 0, good.length)).hasSize(1);
        assertThatThrownBy(() -> d.decodeAll(bad, 0, bad.length)).isExactlyInstanceOf(SmuxProtocolException.class);
        assertThatThrownBy(() -> d.decodeAll(good, 0, good.length))
                .isExactlyInstanceOf(SmuxProtocolException.class)
                .hasMessageContaining("corrupt")
                .hasMessageContaining("version 7");
    }

    @Test
    void controlFramesReadNoDataWhateverTheLengthField() {
        // SPEC §10.2: SYN/FIN/NOP lengths are ignored, UPD always reads 8 bytes.
        byte[] bytes = HEX.parseHex("02000500" + "03000000"     // SYN claiming 5 bytes
                + "02040000" + "03000000" + "0100000000000100"  // UPD claiming 0 bytes
                + "02030000" + "00000000");
        List<SmuxFrame> frames = new SmuxFrameDecoder(SmuxVersion.V2, 32768).decodeAll(bytes, 0, bytes.length);
        assertThat(frames).containsExactly(SmuxFrame.syn(SmuxVersion.V2, 3), SmuxFrame.upd(3, 1, 65536), SmuxFrame.nop(SmuxVersion.V2));
    }

    @Test
    void sinkCanStopAfterAnyFrameAndResumeWithTheRest() {
        byte[] bytes = concat(List.of(SmuxFrame.syn(SmuxVersion.V1, 3), SmuxFrame.psh(SmuxVersion.V1, 3, new byte[5]),
                SmuxFrame.fin(SmuxVersion.V1, 3)));
        SmuxFrameDecoder d = new SmuxFrameDecoder(SmuxVersion.V1, 32768);
        List<SmuxFrame> got = new ArrayList<>();
        int consumed = d.decode(bytes, 0, bytes.length, f -> got.add(f) && got.size() < 2);
        assertThat(consumed).isEqualTo(8 + 13);
        assertThat(got).hasSize(2);
        assertThat(d.decode(bytes, consumed, bytes.length - consumed, got::add)).isEqualTo(8);
        assertThat(got).extracting(SmuxFrame::command).containsExactly(SmuxCommand.SYN, SmuxCommand.PSH, SmuxCommand.FIN);
    }
}
