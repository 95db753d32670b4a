package dev.ssmsession.testkit.internal;

import java.nio.ByteBuffer;

/** Flag payload values (SPEC §3.2): a 4-byte big-endian uint32. */
public final class Flags {
    public static final int DISCONNECT_TO_PORT = 1;
    public static final int TERMINATE_SESSION = 2;
    public static final int CONNECT_TO_PORT_ERROR = 3;

    private Flags() {
    }

    public static byte[] encode(int flag) {
        return ByteBuffer.allocate(4).putInt(flag).array();
    }

    /** The flag value, or -1 when the payload is not 4 bytes. */
    public static long decode(byte[] payload) {
        return payload.length == 4 ? Integer.toUnsignedLong(ByteBuffer.wrap(payload).getInt()) : -1;
    }
}
