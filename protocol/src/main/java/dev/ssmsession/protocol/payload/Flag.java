package dev.ssmsession.protocol.payload;

import java.nio.ByteBuffer;
import java.util.HexFormat;

/** The Flag payload (PayloadType 10, SPEC §3.2): a 4-byte big-endian uint32. */
public enum Flag {
    /** Client: the local TCP connection of a basic port forward closed. */
    DISCONNECT_TO_PORT(1),
    /** Client: the user interrupted a port session. */
    TERMINATE_SESSION(2),
    /** Agent: dialing the destination for a new smux stream failed. */
    CONNECT_TO_PORT_ERROR(3);

    /** The payload length of every flag. */
    public static final int LENGTH = 4;

    private final int wire;

    Flag(int wire) {
        this.wire = wire;
    }

    public int wire() {
        return wire;
    }

    /** The 4-byte payload. */
    public byte[] encode() {
        return ByteBuffer.allocate(LENGTH).putInt(wire).array();
    }

    /**
     * Parses a Flag payload.
     *
     * @throws PayloadFormatException if it is not 4 bytes or holds an unknown value
     */
    public static Flag decode(byte[] payload) {
        if (payload.length != LENGTH) {
            throw new PayloadFormatException("Flag payload must be " + LENGTH + " bytes, got " + payload.length);
        }
        long value = Integer.toUnsignedLong(ByteBuffer.wrap(payload).getInt());
        for (Flag f : values()) {
            if (f.wire == value) {
                return f;
            }
        }
        throw new PayloadFormatException("unknown Flag value " + value + " (0x" + HexFormat.of().formatHex(payload) + ")");
    }
}
