package dev.ssmsession.protocol.message;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tag;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

@Tag("pure")
class ClientMessageCodecPropertyTest {
    private static final ClientMessageCodec CODEC = ClientMessageCodec.withMaxFrameSize(64 * 1024);

    @Provide
    Arbitrary<ClientMessage> messages() {
        Arbitrary<String> type = Arbitraries.oneOf(
                Arbitraries.of("input_stream_data", "output_stream_data", "acknowledge", "channel_closed"),
                // Free text as the wire allows it: no padding characters at the ends, at most 32 bytes.
                Arbitraries.strings().withCharRange('!', '~').ofMinLength(1).ofMaxLength(32));
        Arbitrary<Long> uint32 = Arbitraries.longs().between(0, 0xFFFF_FFFFL);
        Arbitrary<Long> created = Arbitraries.longs().filter(l -> l != 0);
        Arbitrary<UUID> id = Combinators.combine(Arbitraries.longs(), Arbitraries.longs()).as(UUID::new);
        Arbitrary<byte[]> payload = Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(3000);
        return Combinators.combine(type, uint32, created, Arbitraries.longs(), Arbitraries.longs(), id, uint32, payload)
                .as(ClientMessage::new);
    }

    @Property(tries = 500)
    void encodeThenDecodeIsIdentity(@ForAll("messages") ClientMessage message) {
        byte[] frame = CODEC.encode(message);

        assertThat(frame).hasSize(ClientMessageCodec.FRAME_OVERHEAD + message.payload().length);
        assertThat(CODEC.decode(frame)).isEqualTo(message);
    }

    @Property(tries = 2000)
    void arbitraryBytesOnlyEverFailAsMalformed(@ForAll @Size(max = 400) byte[] bytes) {
        decodeOrMalformed(bytes);
    }

    @Provide
    Arbitrary<Tuple.Tuple2<ClientMessage, List<Tuple.Tuple2<Integer, Byte>>>> mutations() {
        Arbitrary<Tuple.Tuple2<Integer, Byte>> edit = Combinators.combine(Arbitraries.integers().between(0, 1 << 16), Arbitraries.bytes())
                .as(Tuple::of);
        return Combinators.combine(messages(), edit.list().ofMinSize(1).ofMaxSize(6)).as(Tuple::of);
    }

    @Property(tries = 2000)
    void mutatedValidFramesOnlyEverFailAsMalformed(
            @ForAll("mutations") Tuple.Tuple2<ClientMessage, List<Tuple.Tuple2<Integer, Byte>>> input,
            @ForAll @IntRange(min = 0, max = 3) int truncateMode) {
        byte[] frame = CODEC.encode(input.get1());
        for (Tuple.Tuple2<Integer, Byte> edit : input.get2()) {
            // Bias edits towards the header, where the length fields live.
            int at = edit.get1() % Math.min(frame.length, edit.get1() % 2 == 0 ? 120 : frame.length);
            frame[at] = edit.get2();
        }
        if (truncateMode == 1) {
            frame = Arrays.copyOf(frame, frame.length / 2);
        } else if (truncateMode == 2) {
            frame = Arrays.copyOf(frame, frame.length + 1);
        }
        decodeOrMalformed(frame);
    }

    private static void decodeOrMalformed(byte[] frame) {
        ClientMessage decoded;
        try {
            decoded = CODEC.decode(frame);
        } catch (MalformedMessageException expected) {
            assertThat(expected.field()).isIn("frame", "HeaderLength", "MessageType", "CreatedDate", "PayloadDigest");
            return;
        }
        // Whatever decodes never carries more payload than the frame held.
        assertThat(decoded.payload().length).isLessThanOrEqualTo(frame.length - 4);
    }
}
