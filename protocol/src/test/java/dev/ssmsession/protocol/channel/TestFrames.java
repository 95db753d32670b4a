package dev.ssmsession.protocol.channel;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.UUID;

/**
 * Builds and reads frames by hand, straight from the SPEC §2 table, without the production codec,
 * so that a symmetric codec bug cannot hide in the engine tests.
 */
final class TestFrames {
    static final long CREATED = 1_764_000_000_000L;

    private TestFrames() {
    }

    static byte[] frame(String messageType, long seq, long flags, UUID id, long payloadType, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(120 + payload.length);
        b.putInt(116);
        byte[] type = Arrays.copyOf(messageType.getBytes(StandardCharsets.US_ASCII), 32);
        for (int i = messageType.length(); i < 32; i++) {
            type[i] = ' ';
        }
        b.put(type);
        b.putInt(1);
        b.putLong(CREATED);
        b.putLong(seq);
        b.putLong(flags);
        b.putLong(id.getLeastSignificantBits());
        b.putLong(id.getMostSignificantBits());
        b.put(sha256(payload));
        b.putInt((int) payloadType);
        b.putInt(payload.length);
        b.put(payload);
        return b.array();
    }

    /** A data message from the agent to the client. */
    static byte[] output(long seq, long payloadType, byte[] payload) {
        return frame("output_stream_data", seq, seq == 0 ? 1 : 0, idFor(seq), payloadType, payload);
    }

    /** A data message from the client to the agent. */
    static byte[] input(long seq, long payloadType, byte[] payload) {
        return frame("input_stream_data", seq, 0, idFor(seq), payloadType, payload);
    }

    static byte[] output(long seq, String text) {
        return output(seq, 1, text.getBytes(StandardCharsets.UTF_8));
    }

    /** An ack as the Go agent writes it. */
    static byte[] ack(String ackedType, UUID ackedId, long ackedSeq) {
        String json = "{\"AcknowledgedMessageType\":\"" + ackedType + "\",\"AcknowledgedMessageId\":\"" + ackedId
                + "\",\"AcknowledgedMessageSequenceNumber\":" + ackedSeq + ",\"IsSequentialMessage\":true}";
        return frame("acknowledge", 0, 3, new UUID(0xACC, ackedSeq), 0, json.getBytes(StandardCharsets.UTF_8));
    }

    static byte[] control(String messageType, String json) {
        return frame(messageType, 0, 0, new UUID(0xC0, 1), 0, json.getBytes(StandardCharsets.UTF_8));
    }

    static UUID idFor(long seq) {
        return new UUID(0x1234_5678_9abc_4defL, 0x8000_0000_0000_0000L | seq);
    }

    // ---- reading

    static String messageType(byte[] f) {
        return new String(f, 4, 32, StandardCharsets.US_ASCII).strip();
    }

    static long sequenceNumber(byte[] f) {
        return ByteBuffer.wrap(f).getLong(48);
    }

    static long flags(byte[] f) {
        return ByteBuffer.wrap(f).getLong(56);
    }

    static long createdDate(byte[] f) {
        return ByteBuffer.wrap(f).getLong(40);
    }

    static UUID messageId(byte[] f) {
        ByteBuffer b = ByteBuffer.wrap(f);
        return new UUID(b.getLong(72), b.getLong(64));
    }

    static int payloadType(byte[] f) {
        return ByteBuffer.wrap(f).getInt(112);
    }

    static byte[] payload(byte[] f) {
        return Arrays.copyOfRange(f, 120, f.length);
    }

    static String payloadText(byte[] f) {
        return new String(payload(f), StandardCharsets.UTF_8);
    }

    static boolean isData(byte[] f) {
        String t = messageType(f);
        return t.equals("input_stream_data") || t.equals("output_stream_data");
    }

    static boolean isAck(byte[] f) {
        return messageType(f).equals("acknowledge");
    }

    /** The sequence number an ack frame acknowledges, read from its JSON by hand. */
    static long ackedSequence(byte[] f) {
        String json = payloadText(f);
        String key = "\"AcknowledgedMessageSequenceNumber\":";
        int i = json.indexOf(key) + key.length();
        int j = i;
        while (j < json.length() && (Character.isDigit(json.charAt(j)) || json.charAt(j) == '-')) {
            j++;
        }
        return Long.parseLong(json.substring(i, j));
    }

    static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
