package dev.ssmsession.protocol.message;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Any bytes a WebSocket peer sends: {@link ClientMessageCodec#decode} either returns a message or throws
 * {@link MalformedMessageException}; anything else escaping (an index or array-size exception, an
 * allocation sized by a length field) is a finding. A message that decodes and that the encoder accepts
 * decodes again to the same message. Seeds: {@code ClientMessageCodecFuzzTestInputs/decode/}.
 */
class ClientMessageCodecFuzzTest {
    private static final ClientMessageCodec CODEC = ClientMessageCodec.withMaxFrameSize(64 * 1024);

    @FuzzTest(maxDuration = "10s")
    void decode(byte[] frame) {
        ClientMessage m;
        try {
            m = CODEC.decode(frame);
        } catch (MalformedMessageException expected) {
            return;
        }
        if (m.is(MessageType.START_PUBLICATION) || m.is(MessageType.PAUSE_PUBLICATION)) {
            return;  // exempt from validation, so they may decode from frames no encoder writes
        }
        byte[] again;
        try {
            again = CODEC.encode(m);
        } catch (IllegalArgumentException refused) {
            return;  // the documented encode failures: empty payload, a type that cannot round-trip
        }
        assertThat(CODEC.decode(again)).isEqualTo(m);
    }
}
