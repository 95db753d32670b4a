package dev.ssmsession.client.internal;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/**
 * RFC 6455 framing as a client sees it: frames it sends are masked, frames it reads are not.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-------+-+-------------+-------------------------------+
 * |F|R|R|R| opcode|M| Payload len |    Extended payload length    |
 * |I|S|S|S|  (4)  |A|     (7)     |             (16/64)           |
 * |N|V|V|V|       |S|             |   (if payload len==126/127)   |
 * +-+-+-+-+-------+-+-------------+ - - - - - - - - - - - - - - - +
 * |     Masking-key (client to server only), 4 bytes              |
 * +---------------------------------------------------------------+
 * |     Payload Data (XOR the masking key, byte i with key[i % 4]) |
 * +---------------------------------------------------------------+
 * </pre>
 *
 * Stateless apart from the buffer it writes into; no I/O of its own beyond the stream it is handed.
 */
final class WebSocketFrames {
    static final int OP_CONTINUATION = 0x0;
    static final int OP_TEXT = 0x1;
    static final int OP_BINARY = 0x2;
    static final int OP_CLOSE = 0x8;
    static final int OP_PING = 0x9;
    static final int OP_PONG = 0xA;

    private static final int FIN = 0x80;
    private static final int MASKED = 0x80;
    private static final int MAX_CONTROL_PAYLOAD = 125;

    private WebSocketFrames() {}

    /** Appends one final, masked frame to {@code out}. */
    static void writeMasked(ByteArrayOutputStream out, int opcode, byte[] payload, int mask) {
        int len = payload.length;
        out.write(FIN | opcode);
        if (len < 126) {
            out.write(MASKED | len);
        } else if (len <= 0xFFFF) {
            out.write(MASKED | 126);
            out.write(len >>> 8);
            out.write(len);
        } else {
            out.write(MASKED | 127);
            for (int shift = 56; shift >= 0; shift -= 8) {
                out.write((int) ((long) len >>> shift));
            }
        }
        byte[] key = {(byte) (mask >>> 24), (byte) (mask >>> 16), (byte) (mask >>> 8), (byte) mask};
        out.write(key, 0, 4);
        byte[] masked = new byte[len];
        for (int i = 0; i < len; i++) {
            masked[i] = (byte) (payload[i] ^ key[i & 3]);
        }
        out.write(masked, 0, len);
    }

    /** One frame as read: its opcode, whether it ends a message, and its (unmasked) payload. */
    record Frame(int opcode, boolean fin, byte[] payload) {
        boolean isControl() {
            return (opcode & 0x8) != 0;
        }
    }

    /** A frame that breaks RFC 6455 for a client, or exceeds the size the client accepts. */
    static final class ProtocolException extends IOException {
        private final int closeCode;

        ProtocolException(int closeCode, String message) {
            super(message);
            this.closeCode = closeCode;
        }

        int closeCode() {
            return closeCode;
        }
    }

    /**
     * Reads one frame, blocking.
     *
     * @throws EOFException      if the stream ends at a frame boundary or inside one
     * @throws ProtocolException on a masked server frame, reserved bits, an unknown opcode, a bad control frame,
     *                           or a payload over {@code maxPayload}
     */
    static Frame read(InputStream in, int maxPayload) throws IOException {
        int b0 = readByte(in);
        int b1 = readByte(in);
        if ((b0 & 0x70) != 0) {
            throw new ProtocolException(1002, "reserved bits set in a frame from the server (0x" + Integer.toHexString(b0) + ")");
        }
        int opcode = b0 & 0x0F;
        boolean fin = (b0 & FIN) != 0;
        if (opcode != OP_CONTINUATION && opcode != OP_TEXT && opcode != OP_BINARY && opcode != OP_CLOSE
                && opcode != OP_PING && opcode != OP_PONG) {
            throw new ProtocolException(1002, "unknown opcode 0x" + Integer.toHexString(opcode) + " from the server");
        }
        if ((b1 & MASKED) != 0) {
            throw new ProtocolException(1002, "masked frame from the server");
        }
        long len = b1 & 0x7F;
        if (len == 126) {
            len = (readByte(in) << 8) | readByte(in);
        } else if (len == 127) {
            len = 0;
            for (int i = 0; i < 8; i++) {
                len = (len << 8) | readByte(in);
            }
            if (len < 0) {
                throw new ProtocolException(1002, "negative 64-bit payload length from the server");
            }
        }
        boolean control = (opcode & 0x8) != 0;
        if (control && (len > MAX_CONTROL_PAYLOAD || !fin)) {
            throw new ProtocolException(1002, "control frame 0x" + Integer.toHexString(opcode) + " of " + len
                    + " bytes" + (fin ? "" : ", fragmented"));
        }
        if (len > maxPayload) {
            throw new ProtocolException(1009, "frame of " + len + " bytes exceeds the " + maxPayload + "-byte limit");
        }
        byte[] payload = in.readNBytes((int) len);
        if (payload.length < len) {
            throw new EOFException("connection ended inside a frame");
        }
        return new Frame(opcode, fin, payload);
    }

    private static int readByte(InputStream in) throws IOException {
        int b = in.read();
        if (b < 0) {
            throw new EOFException("connection ended");
        }
        return b;
    }
}
