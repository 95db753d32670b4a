package dev.ssmsession.protocol.message;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ssmsession.protocol.crypto.AesGcmPayloadCipher;
import dev.ssmsession.protocol.crypto.PayloadCipher;
import dev.ssmsession.protocol.crypto.Side;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Golden frames written by hand, field by field, from SPEC §2 — not produced by the encoder. Every
 * SHA-256 was computed at authoring time with {@code printf '<payload>' | sha256sum} (or
 * {@code xxd -r -p | sha256sum} for binary payloads).
 */
@Tag("pure")
class ClientMessageCodecGoldenTest {
    private static final HexFormat HEX = HexFormat.of();
    private static final ClientMessageCodec CODEC = ClientMessageCodec.create();

    /** The SPEC §2.2 example: canonical 00112233-4455-4677-8899-aabbccddeeff. */
    private static final UUID SPEC_UUID = UUID.fromString("00112233-4455-4677-8899-aabbccddeeff");
    /** 2025-11-28T11:00:00Z in epoch millis = 0x0000019aca1eaf80. */
    private static final long CREATED = 1764327600000L;

    private static String pad(String asciiHex, String padByte) {
        return asciiHex + padByte.repeat(32 - asciiHex.length() / 2);
    }

    private static final String INPUT_STREAM_DATA = "696e7075745f73747265616d5f64617461";      // "input_stream_data" (17 bytes)
    private static final String OUTPUT_STREAM_DATA = "6f75747075745f73747265616d5f64617461";   // "output_stream_data" (18 bytes)
    private static final String ACKNOWLEDGE = "61636b6e6f776c65646765";                       // "acknowledge" (11 bytes)

    @Test
    void inputStreamDataOutputFrame() {
        String frame = ""
                + "00000074"                                                          // HeaderLength = 116
                + pad(INPUT_STREAM_DATA, "20")                                        // MessageType, space padded to 32
                + "00000001"                                                          // SchemaVersion = 1
                + "0000019aca1eaf80"                                                  // CreatedDate = 1764327600000
                + "0000000000000005"                                                  // SequenceNumber = 5
                + "0000000000000000"                                                  // Flags = 0 (client data)
                + "8899aabbccddeeff" + "0011223344554677"                             // MessageId: low half, then high half
                + "1d887ce0f8672e4914d9000e801cd74ecd805dd9366c0bc42dc16adc0197dc2f"  // sha256("ls\r")
                + "00000001"                                                          // PayloadType = 1 Output
                + "00000003"                                                          // PayloadLength = 3
                + "6c730d";                                                           // "ls\r"
        ClientMessage message = new ClientMessage("input_stream_data", 1, CREATED, 5, 0, SPEC_UUID, 1, "ls\r".getBytes(UTF_8));

        assertThat(HEX.formatHex(CODEC.encode(message))).isEqualTo(frame);
        assertThat(CODEC.decode(HEX.parseHex(frame))).isEqualTo(message);
    }

    @Test
    void acknowledgeFrame() {
        String json = "{\"AcknowledgedMessageType\":\"output_stream_data\",\"AcknowledgedMessageId\":"
                + "\"00112233-4455-4677-8899-aabbccddeeff\",\"AcknowledgedMessageSequenceNumber\":7,\"IsSequentialMessage\":true}";
        String frame = ""
                + "00000074"                                                          // HeaderLength = 116
                + pad(ACKNOWLEDGE, "20")                                              // MessageType "acknowledge"
                + "00000001"                                                          // SchemaVersion = 1
                + "0000019aca1eaf80"                                                  // CreatedDate
                + "0000000000000000"                                                  // SequenceNumber = 0 for acks
                + "0000000000000003"                                                  // Flags = SYN|FIN
                + "8899aabbccddeeff" + "0011223344554677"                             // MessageId
                + "33a12833fe3085f8ae7a02be15b90bf599665fb98aed7174bca05e5f09955461"  // sha256(json)
                + "00000000"                                                          // PayloadType = 0
                + "000000b0"                                                          // PayloadLength = 176
                + HEX.formatHex(json.getBytes(UTF_8));                                // the ack JSON
        ClientMessage ack = new ClientMessage("acknowledge", 1, CREATED, 0, 3, SPEC_UUID, 0, json.getBytes(UTF_8));

        assertThat(HEX.formatHex(CODEC.encode(ack))).isEqualTo(frame);
        assertThat(CODEC.decode(HEX.parseHex(frame))).isEqualTo(ack);
    }

    @Test
    void outputStreamDataFromTheAgent() {
        String frame = ""
                + "00000074"                                                          // HeaderLength = 116
                + pad(OUTPUT_STREAM_DATA, "20")                                       // MessageType "output_stream_data"
                + "00000001"                                                          // SchemaVersion
                + "0000019aca1eaf80"                                                  // CreatedDate
                + "0000000000000000"                                                  // SequenceNumber = 0
                + "0000000000000001"                                                  // Flags = SYN (agent's first message)
                + "8899aabbccddeeff" + "0011223344554677"                             // MessageId
                + "cd2eca3535741f27a8ae40c31b0c41d4057a7a7b912b33b9aed86485d1c84676"  // sha256("hello\r\n")
                + "00000001"                                                          // PayloadType = 1 Output
                + "00000007"                                                          // PayloadLength = 7
                + "68656c6c6f0d0a";                                                   // "hello\r\n"

        ClientMessage m = CODEC.decode(HEX.parseHex(frame));

        assertThat(m.is(MessageType.OUTPUT_STREAM_DATA)).isTrue();
        assertThat(m.sequenceNumber()).isZero();
        assertThat(m.flags()).isEqualTo(ClientMessage.FLAG_SYN);
        assertThat(m.createdDate()).isEqualTo(CREATED);
        assertThat(m.knownPayloadType()).contains(PayloadType.OUTPUT);
        assertThat(m.payload()).asString(UTF_8).isEqualTo("hello\r\n");
        assertThat(m.messageId()).isEqualTo(SPEC_UUID);
    }

    @Test
    void messageIdIsHalfSwappedOnTheWire() {
        ClientMessage m = new ClientMessage("input_stream_data", 1, CREATED, 0, 0, SPEC_UUID, 1, new byte[] {1});

        byte[] frame = CODEC.encode(m);

        // SPEC §2.2: canonical 00 11 22 33 44 55 46 77 88 99 aa bb cc dd ee ff
        //            wire      88 99 aa bb cc dd ee ff 00 11 22 33 44 55 46 77
        assertThat(HEX.formatHex(Arrays.copyOfRange(frame, 64, 80))).isEqualTo("8899aabbccddeeff0011223344554677");
        assertThat(CODEC.decode(frame).messageId().toString()).isEqualTo("00112233-4455-4677-8899-aabbccddeeff");
    }

    @Test
    void nulPaddedMessageTypeDecodes() {
        String frame = ""
                + "00000074"
                + pad(OUTPUT_STREAM_DATA, "00")                                       // NUL padding instead of spaces
                + "00000001" + "0000019aca1eaf80" + "0000000000000003" + "0000000000000000"
                + "8899aabbccddeeff0011223344554677"
                + "cd2eca3535741f27a8ae40c31b0c41d4057a7a7b912b33b9aed86485d1c84676"
                + "00000001" + "00000007" + "68656c6c6f0d0a";
        // Leading NULs and a space before the NUL tail also strip away (NUL strip, then whitespace strip).
        String mixed = frame.replace(pad(OUTPUT_STREAM_DATA, "00"),
                "0000" + OUTPUT_STREAM_DATA + "2020" + "00".repeat(10));

        assertThat(CODEC.decode(HEX.parseHex(frame)).messageType()).isEqualTo("output_stream_data");
        assertThat(CODEC.decode(HEX.parseHex(mixed)).messageType()).isEqualTo("output_stream_data");
        assertThat(CODEC.decode(HEX.parseHex(frame)).sequenceNumber()).isEqualTo(3);
    }

    @Test
    void encryptedOutputPayloadDigestCoversTheEnvelope() {
        // Client encrypt key (data key bytes 32..63) all zero, nonce all zero, 16 zero bytes of plaintext:
        // NIST GCM test case 14 gives C = cea7403d4d606b6e074ec5d3baf39d18, T = d0d1c8a799996bf0265b98b5d48ab919.
        byte[] dataKey = new byte[64];
        Arrays.fill(dataKey, 0, 32, (byte) 0x42);
        PayloadCipher client = AesGcmPayloadCipher.create(dataKey, Side.CLIENT, nonce -> Arrays.fill(nonce, (byte) 0));
        String envelope = "000000000000000000000000"                                   // nonce
                + "cea7403d4d606b6e074ec5d3baf39d18"                                   // ciphertext
                + "d0d1c8a799996bf0265b98b5d48ab919";                                  // tag
        String frame = ""
                + "00000074"
                + pad(INPUT_STREAM_DATA, "20")
                + "00000001"                                                           // SchemaVersion
                + "0000019aca1eaf80"                                                   // CreatedDate
                + "0000000000000002"                                                   // SequenceNumber = 2
                + "0000000000000000"                                                   // Flags
                + "8899aabbccddeeff0011223344554677"                                   // MessageId
                + "f44e1182bd03b30adafde623dad9ae19c6e316ad112c3792821bc477951dc5b9"   // sha256(envelope)
                + "00000001"                                                           // PayloadType = Output
                + "0000002c"                                                           // PayloadLength = 44
                + envelope;

        byte[] encoded = CODEC.encode(new ClientMessage("input_stream_data", 1, CREATED, 2, 0, SPEC_UUID, 1, client.encrypt(new byte[16])));

        assertThat(HEX.formatHex(encoded)).isEqualTo(frame);
        PayloadCipher agent = AesGcmPayloadCipher.create(dataKey, Side.AGENT);
        assertThat(agent.decrypt(CODEC.decode(HEX.parseHex(frame)).payload())).isEqualTo(new byte[16]);
    }
}
