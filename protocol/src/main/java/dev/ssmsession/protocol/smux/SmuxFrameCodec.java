package dev.ssmsession.protocol.smux;

import java.util.Objects;

/**
 * Encodes smux frames (SPEC §10.1). Stateless. Decoding is resumable and lives in
 * {@link SmuxFrameDecoder}.
 *
 * <pre>
 * offset  len  field      notes
 *      0    1  version    1 or 2
 *      1    1  cmd        SYN 0, FIN 1, PSH 2, NOP 3, UPD 4 (v2)
 *      2    2  length     uint16 LITTLE-endian, bytes of data that follow
 *      4    4  stream id  uint32 LITTLE-endian
 *      8    n  data       PSH: length bytes; UPD: consumed uint32 LE + window uint32 LE
 * </pre>
 * Unlike the ClientMessage header, every smux integer is little-endian.
 */
public final class SmuxFrameCodec {
    public static final int VERSION_OFFSET = 0;
    public static final int CMD_OFFSET = 1;
    public static final int LENGTH_OFFSET = 2;
    public static final int STREAM_ID_OFFSET = 4;
    public static final int HEADER_LENGTH = 8;
    public static final int UPD_BODY_LENGTH = 8;
    /** The uint16 length field's limit, and so the hard limit of any max frame size. */
    public static final int MAX_DATA_LENGTH = 0xFFFF;
    public static final long MAX_STREAM_ID = 0xFFFF_FFFFL;

    private SmuxFrameCodec() {
    }

    /** The frame's bytes: header plus data. */
    public static byte[] encode(SmuxFrame frame) {
        byte[] out = new byte[HEADER_LENGTH + frame.data().length];
        writeHeader(out, 0, frame.version(), frame.command(), frame.data().length, frame.streamId());
        System.arraycopy(frame.data(), 0, out, HEADER_LENGTH, frame.data().length);
        return out;
    }

    /** A PSH frame carrying {@code b[off..off+len)} without an intermediate copy. */
    public static byte[] encodePsh(SmuxVersion version, long streamId, byte[] b, int off, int len) {
        Objects.checkFromIndexSize(off, len, b.length);
        if (len > MAX_DATA_LENGTH) {
            throw new IllegalArgumentException("smux PSH data of " + len + " bytes exceeds the uint16 length field");
        }
        byte[] out = new byte[HEADER_LENGTH + len];
        writeHeader(out, 0, version, SmuxCommand.PSH, len, streamId);
        System.arraycopy(b, off, out, HEADER_LENGTH, len);
        return out;
    }

    static void writeHeader(byte[] out, int at, SmuxVersion version, SmuxCommand cmd, int length, long streamId) {
        out[at + VERSION_OFFSET] = (byte) version.wire();
        out[at + CMD_OFFSET] = (byte) cmd.wire();
        out[at + LENGTH_OFFSET] = (byte) length;
        out[at + LENGTH_OFFSET + 1] = (byte) (length >>> 8);
        putUint32(out, at + STREAM_ID_OFFSET, streamId);
    }

    static void putUint32(byte[] out, int at, long value) {
        out[at] = (byte) value;
        out[at + 1] = (byte) (value >>> 8);
        out[at + 2] = (byte) (value >>> 16);
        out[at + 3] = (byte) (value >>> 24);
    }

    static long getUint32(byte[] in, int at) {
        return (in[at] & 0xFFL)
                | (in[at + 1] & 0xFFL) << 8
                | (in[at + 2] & 0xFFL) << 16
                | (in[at + 3] & 0xFFL) << 24;
    }

    static int getUint16(byte[] in, int at) {
        return (in[at] & 0xFF) | (in[at + 1] & 0xFF) << 8;
    }
}
