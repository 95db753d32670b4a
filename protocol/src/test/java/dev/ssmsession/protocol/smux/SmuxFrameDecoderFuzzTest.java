package dev.ssmsession.protocol.smux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Any byte stream from the agent, fed to the resumable decoder whole and in chunks: only
 * {@link SmuxProtocolException} may escape, the chunked decoder yields exactly the frames the whole
 * one does and fails exactly when it does, and a corrupt decoder refuses further input.
 *
 * <pre>input = settings (1) | chunk size - 1 (1) | max frame size / 256 (1) | smux stream</pre>
 * settings bit 0: v2 instead of v1; bit 1: the sink stops after every frame (resume from the count).
 * Seeds: {@code SmuxFrameDecoderFuzzTestInputs/decode/}.
 */
class SmuxFrameDecoderFuzzTest {

    @FuzzTest(maxDuration = "10s")
    void decode(byte[] input) {
        if (input.length < 3) {
            return;
        }
        SmuxVersion version = (input[0] & 1) == 0 ? SmuxVersion.V1 : SmuxVersion.V2;
        boolean stopEachFrame = (input[0] & 2) != 0;
        int chunk = (input[1] & 0xFF) + 1;
        int maxFrameSize = Math.max(1, (input[2] & 0xFF) << 8) | 0xFF;
        byte[] stream = Arrays.copyOfRange(input, 3, input.length);

        List<SmuxFrame> whole = new ArrayList<>();
        SmuxProtocolException wholeError = null;
        SmuxFrameDecoder one = new SmuxFrameDecoder(version, maxFrameSize);
        try {
            one.decode(stream, 0, stream.length, whole::add);
        } catch (SmuxProtocolException e) {
            wholeError = e;
        }

        List<SmuxFrame> chunked = new ArrayList<>();
        SmuxProtocolException chunkedError = null;
        SmuxFrameDecoder split = new SmuxFrameDecoder(version, maxFrameSize);
        try {
            for (int off = 0; off < stream.length; off += chunk) {
                int len = Math.min(chunk, stream.length - off);
                int done = 0;
                while (done < len) {
                    done += split.decode(stream, off + done, len - done, f -> {
                        chunked.add(f);
                        return !stopEachFrame;
                    });
                }
            }
        } catch (SmuxProtocolException e) {
            chunkedError = e;
        }

        assertThat(chunked).isEqualTo(whole);
        assertThat(chunkedError == null).isEqualTo(wholeError == null);
        if (wholeError != null) {
            assertThat(one.state()).isEqualTo(SmuxFrameDecoder.State.CORRUPT);
            assertThatThrownBy(() -> one.decodeAll(new byte[1], 0, 1)).isInstanceOf(SmuxProtocolException.class);
        }
    }
}
