package dev.ssmsession.testkit.internal;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;

/**
 * Resumable smux frame decoder (SPEC §10): feeds arbitrary slices of the byte stream, reports
 * whole frames. Header is 8 bytes, little-endian length and stream id. PSH carries {@code length}
 * bytes, UPD 8 bytes; SYN/FIN/NOP carry none whatever the length says. Not thread-safe.
 */
public final class SmuxDecoder {
    public static final int SYN = 0;
    public static final int FIN = 1;
    public static final int PSH = 2;
    public static final int NOP = 3;
    public static final int UPD = 4;
    public static final int HEADER = 8;

    /** Receives decoded frames. */
    public interface Listener {
        void onFrame(int cmd, long streamId, byte[] data);
    }

    /** A version or command outside what the session speaks: fatal for the session. */
    public static final class SmuxProtocolException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        SmuxProtocolException(String message) {
            super(message);
        }
    }

    private final int version;
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    private boolean corrupt;

    public SmuxDecoder(int version) {
        this.version = version;
    }

    public void feed(byte[] data, Listener listener) {
        if (corrupt) {
            throw new SmuxProtocolException("smux stream is already corrupt");
        }
        buffer.write(data, 0, data.length);
        byte[] b = buffer.toByteArray();
        int pos = 0;
        while (b.length - pos >= HEADER) {
            int ver = b[pos] & 0xFF;
            int cmd = b[pos + 1] & 0xFF;
            int length = (b[pos + 2] & 0xFF) | (b[pos + 3] & 0xFF) << 8;
            long sid = (b[pos + 4] & 0xFFL) | (b[pos + 5] & 0xFFL) << 8 | (b[pos + 6] & 0xFFL) << 16 | (b[pos + 7] & 0xFFL) << 24;
            if (ver != version) {
                corrupt = true;
                throw new SmuxProtocolException("smux frame version " + ver + " but the session speaks version " + version);
            }
            int body = switch (cmd) {
                case SYN, FIN, NOP -> 0;
                case PSH -> length;
                case UPD -> {
                    if (version < 2) {
                        corrupt = true;
                        throw new SmuxProtocolException("smux UPD frame on a version 1 session");
                    }
                    yield 8;
                }
                default -> {
                    corrupt = true;
                    throw new SmuxProtocolException("unknown smux command " + cmd);
                }
            };
            if (b.length - pos - HEADER < body) {
                break;
            }
            byte[] frameData = Arrays.copyOfRange(b, pos + HEADER, pos + HEADER + body);
            pos += HEADER + body;
            listener.onFrame(cmd, sid, frameData);
        }
        buffer.reset();
        buffer.write(b, pos, b.length - pos);
    }

    /** Encodes one frame. */
    public static byte[] frame(int version, int cmd, long streamId, byte[] data, int off, int len) {
        byte[] f = new byte[HEADER + len];
        f[0] = (byte) version;
        f[1] = (byte) cmd;
        f[2] = (byte) len;
        f[3] = (byte) (len >>> 8);
        f[4] = (byte) streamId;
        f[5] = (byte) (streamId >>> 8);
        f[6] = (byte) (streamId >>> 16);
        f[7] = (byte) (streamId >>> 24);
        System.arraycopy(data, off, f, HEADER, len);
        return f;
    }
}
