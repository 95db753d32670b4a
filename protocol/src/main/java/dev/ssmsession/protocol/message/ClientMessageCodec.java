package dev.ssmsession.protocol.message;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.UUID;

/**
 * Encodes and decodes the binary ClientMessage frame (SPEC §2). Stateless and thread-safe.
 *
 * <pre>
 * offset  len  field            notes
 *      0    4  HeaderLength     uint32, written as 116; payload starts at HeaderLength + 4
 *      4   32  MessageType      text, right-padded with spaces
 *     36    4  SchemaVersion    uint32, 1
 *     40    8  CreatedDate      uint64, epoch millis
 *     48    8  SequenceNumber   int64
 *     56    8  Flags            uint64, bit0 SYN, bit1 FIN
 *     64   16  MessageId        UUID, least-significant half first (SPEC §2.2)
 *     80   32  PayloadDigest    SHA-256 of the payload as transmitted
 *    112    4  PayloadType      uint32
 *    116    4  PayloadLength    uint32
 *    120    n  Payload
 * </pre>
 * All integers are big-endian.
 */
public final class ClientMessageCodec {
    public static final int HEADER_LENGTH_OFFSET = 0;
    public static final int MESSAGE_TYPE_OFFSET = 4;
    public static final int MESSAGE_TYPE_LENGTH = 32;
    public static final int SCHEMA_VERSION_OFFSET = 36;
    public static final int CREATED_DATE_OFFSET = 40;
    public static final int SEQUENCE_NUMBER_OFFSET = 48;
    public static final int FLAGS_OFFSET = 56;
    public static final int MESSAGE_ID_OFFSET = 64;
    public static final int PAYLOAD_DIGEST_OFFSET = 80;
    public static final int PAYLOAD_DIGEST_LENGTH = 32;
    public static final int PAYLOAD_TYPE_OFFSET = 112;
    public static final int PAYLOAD_LENGTH_OFFSET = 116;
    /** The value written in HeaderLength: the offset of PayloadLength. */
    public static final int HEADER_LENGTH = 116;
    /** Bytes before the payload. */
    public static final int FRAME_OVERHEAD = 120;
    /** Default largest frame {@link #decode} accepts: far above the 1024-byte chunks both sides send. */
    public static final int DEFAULT_MAX_FRAME_SIZE = 1 << 20;

    private static final ClientMessageCodec DEFAULT = new ClientMessageCodec(DEFAULT_MAX_FRAME_SIZE);

    private final int maxFrameSize;

    private ClientMessageCodec(int maxFrameSize) {
        if (maxFrameSize < FRAME_OVERHEAD + 1) {
            throw new IllegalArgumentException("maxFrameSize " + maxFrameSize + " is below the smallest frame (" + (FRAME_OVERHEAD + 1) + ")");
        }
        this.maxFrameSize = maxFrameSize;
    }

    /** A codec that accepts frames up to {@link #DEFAULT_MAX_FRAME_SIZE}. */
    public static ClientMessageCodec create() {
        return DEFAULT;
    }

    /** A codec that rejects frames longer than {@code maxFrameSize} bytes. */
    public static ClientMessageCodec withMaxFrameSize(int maxFrameSize) {
        return new ClientMessageCodec(maxFrameSize);
    }

    public int maxFrameSize() {
        return maxFrameSize;
    }

    /**
     * Serializes a message, computing HeaderLength, PayloadLength and the SHA-256 digest.
     *
     * @throws IllegalArgumentException if the MessageType is longer than 32 bytes or starts or ends
     *         with NUL or whitespace (it would not decode to itself), a uint32 field is out of range, or
     *         the payload is empty (the agent's reader rejects empty payloads)
     */
    public byte[] encode(ClientMessage m) {
        byte[] type = m.messageType().getBytes(StandardCharsets.UTF_8);
        if (type.length > MESSAGE_TYPE_LENGTH) {
            throw new IllegalArgumentException("MessageType '" + m.messageType() + "' is longer than 32 bytes");
        }
        if (!messageType(Arrays.copyOf(type, MESSAGE_TYPE_LENGTH), 0).equals(m.messageType())) {
            // Found by fuzzing: a decoded type ending in U+FFFD NUL NUL filled all 32 bytes when re-encoded, so
            // no space padding followed the NULs, decoding stripped them and the frame read as another type.
            throw new IllegalArgumentException("MessageType '" + m.messageType().replace("\0", "\\0")
                    + "' starts or ends with NUL or whitespace, which decoding strips");
        }
        requireUint32("SchemaVersion", m.schemaVersion());
        requireUint32("PayloadType", m.payloadType());
        if (m.payload().length == 0) {
            throw new IllegalArgumentException("payload must not be empty: the agent cannot read a message without one");
        }
        if (m.payload().length > maxFrameSize - FRAME_OVERHEAD) {
            throw new IllegalArgumentException("payload of " + m.payload().length + " bytes exceeds the maximum frame size " + maxFrameSize);
        }
        ByteBuffer b = ByteBuffer.allocate(FRAME_OVERHEAD + m.payload().length);
        b.putInt(HEADER_LENGTH);
        b.put(type);
        for (int i = type.length; i < MESSAGE_TYPE_LENGTH; i++) {
            b.put((byte) ' ');
        }
        b.putInt((int) m.schemaVersion());
        b.putLong(m.createdDate());
        b.putLong(m.sequenceNumber());
        b.putLong(m.flags());
        b.putLong(m.messageId().getLeastSignificantBits());
        b.putLong(m.messageId().getMostSignificantBits());
        b.put(sha256(m.payload()));
        b.putInt((int) m.payloadType());
        b.putInt(m.payload().length);
        b.put(m.payload());
        return b.array();
    }

    /**
     * Parses and validates a frame (SPEC §2.3). The payload is every byte from HeaderLength + 4 to
     * the end of the frame, as the Go reader takes it; PayloadLength is not used to slice.
     * {@code start_publication} and {@code pause_publication} skip validation, as in the service's
     * own clients.
     *
     * @throws MalformedMessageException naming the field that broke a rule
     */
    public ClientMessage decode(byte[] frame) {
        return decode(frame, 0, frame.length);
    }

    /** As {@link #decode(byte[])}, for {@code length} bytes of {@code buf} from {@code offset}. */
    public ClientMessage decode(byte[] buf, int offset, int length) {
        if (length > maxFrameSize) {
            throw new MalformedMessageException("frame", "length " + length + " exceeds the maximum frame size " + maxFrameSize);
        }
        if (length < FRAME_OVERHEAD) {
            throw new MalformedMessageException("frame", "length " + length + " is shorter than the " + FRAME_OVERHEAD + "-byte header");
        }
        ByteBuffer b = ByteBuffer.wrap(buf, offset, length).slice();
        long headerLength = Integer.toUnsignedLong(b.getInt(HEADER_LENGTH_OFFSET));
        String messageType = messageType(buf, offset + MESSAGE_TYPE_OFFSET);
        long schemaVersion = Integer.toUnsignedLong(b.getInt(SCHEMA_VERSION_OFFSET));
        long createdDate = b.getLong(CREATED_DATE_OFFSET);
        long sequenceNumber = b.getLong(SEQUENCE_NUMBER_OFFSET);
        long flags = b.getLong(FLAGS_OFFSET);
        long lsb = b.getLong(MESSAGE_ID_OFFSET);
        long msb = b.getLong(MESSAGE_ID_OFFSET + 8);
        long payloadType = Integer.toUnsignedLong(b.getInt(PAYLOAD_TYPE_OFFSET));
        long payloadLength = Integer.toUnsignedLong(b.getInt(PAYLOAD_LENGTH_OFFSET));

        boolean exempt = MessageType.START_PUBLICATION.wire().equals(messageType)
                || MessageType.PAUSE_PUBLICATION.wire().equals(messageType);
        if (!exempt && headerLength == 0) {
            throw new MalformedMessageException("HeaderLength", "cannot be zero");
        }
        if (headerLength + 4 > length) {
            throw new MalformedMessageException("HeaderLength", "value " + headerLength + " points past the end of a " + length + "-byte frame");
        }
        if (!exempt && headerLength < HEADER_LENGTH) {
            throw new MalformedMessageException("HeaderLength", "value " + headerLength + " is shorter than the fixed header (" + HEADER_LENGTH + ")");
        }
        int payloadStart = (int) headerLength + 4;
        byte[] payload = Arrays.copyOfRange(buf, offset + payloadStart, offset + length);
        if (!exempt) {
            if (messageType.isEmpty()) {
                throw new MalformedMessageException("MessageType", "is missing");
            }
            if (createdDate == 0) {
                throw new MalformedMessageException("CreatedDate", "is missing");
            }
            if (payloadLength != 0 || payload.length != 0) {
                byte[] digest = Arrays.copyOfRange(buf, offset + PAYLOAD_DIGEST_OFFSET, offset + PAYLOAD_DIGEST_OFFSET + PAYLOAD_DIGEST_LENGTH);
                byte[] actual = sha256(payload);
                if (!MessageDigest.isEqual(digest, actual)) {
                    throw new MalformedMessageException("PayloadDigest", "is " + HexFormat.of().formatHex(digest)
                            + " but the " + payload.length + "-byte payload hashes to " + HexFormat.of().formatHex(actual));
                }
            }
        }
        return new ClientMessage(messageType, schemaVersion, createdDate, sequenceNumber, flags, new UUID(msb, lsb), payloadType, payload);
    }

    /** Strips NUL bytes, then whitespace, from both ends (space- and NUL-padding both decode). */
    private static String messageType(byte[] buf, int from) {
        int start = from;
        int end = from + MESSAGE_TYPE_LENGTH;
        while (start < end && buf[start] == 0) {
            start++;
        }
        while (end > start && buf[end - 1] == 0) {
            end--;
        }
        return new String(buf, start, end - start, StandardCharsets.UTF_8).strip();
    }

    private static void requireUint32(String field, long value) {
        if (value < 0 || value > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException(field + " " + value + " does not fit in a uint32");
        }
    }

    /** SHA-256 of {@code data}. */
    public static byte[] sha256(byte[] data) {
        return SHA256.get().digest(data);  // digest() resets it for the next call
    }

    /** One digest per thread: looking the provider up costs about as much as hashing a small payload. */
    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
    });
}
