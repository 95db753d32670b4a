package dev.ssmsession.web.internal;

import static dev.ssmsession.web.internal.WebSocketProtocol.B0_FLAG_FIN;
import static dev.ssmsession.web.internal.WebSocketProtocol.B0_MASK_OPCODE;
import static dev.ssmsession.web.internal.WebSocketProtocol.B0_MASK_RSV;
import static dev.ssmsession.web.internal.WebSocketProtocol.B1_FLAG_MASK;
import static dev.ssmsession.web.internal.WebSocketProtocol.B1_MASK_LENGTH;
import static dev.ssmsession.web.internal.WebSocketProtocol.CLOSE_INVALID_PAYLOAD;
import static dev.ssmsession.web.internal.WebSocketProtocol.CLOSE_PROTOCOL_ERROR;
import static dev.ssmsession.web.internal.WebSocketProtocol.CLOSE_TOO_BIG;
import static dev.ssmsession.web.internal.WebSocketProtocol.OPCODE_BINARY;
import static dev.ssmsession.web.internal.WebSocketProtocol.OPCODE_CLOSE;
import static dev.ssmsession.web.internal.WebSocketProtocol.OPCODE_CONTINUATION;
import static dev.ssmsession.web.internal.WebSocketProtocol.OPCODE_PING;
import static dev.ssmsession.web.internal.WebSocketProtocol.OPCODE_PONG;
import static dev.ssmsession.web.internal.WebSocketProtocol.OPCODE_TEXT;
import static dev.ssmsession.web.internal.WebSocketProtocol.PAYLOAD_LONG;
import static dev.ssmsession.web.internal.WebSocketProtocol.PAYLOAD_SHORT;
import static dev.ssmsession.web.internal.WebSocketProtocol.PAYLOAD_SHORT_MAX;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Reads a browser's frames (server side of RFC 6455) from a blocking stream and reports whole messages to a
 * {@link Listener}. Not thread-safe: one reader thread per connection. Every protocol rule is one check that throws
 * {@link WebSocketException} naming the offending value.
 */
public final class FrameReader {
    /** What the reader reports; called on the reader's thread. */
    public interface Listener {
        void onText(String text) throws IOException;

        void onBinary(byte[] bytes) throws IOException;

        void onPing(byte[] payload) throws IOException;

        void onClose(int code, String reason) throws IOException;
    }

    private final DataInputStream in;
    private final int maxMessage;
    private final ByteArrayOutputStream message = new ByteArrayOutputStream();
    private int messageOpcode = -1;

    /** @param maxMessage the largest data message accepted (a larger one fails with 1009) */
    public FrameReader(InputStream in, int maxMessage) {
        this.in = new DataInputStream(in);
        this.maxMessage = maxMessage;
    }

    /**
     * Reads one frame and reports what it completed (a data message, a ping, a close).
     *
     * @return false once a close frame was read
     * @throws EOFException when the stream ends (a tab closed without a close frame)
     */
    public boolean readFrame(Listener listener) throws IOException {
        int b0 = in.readUnsignedByte();
        int b1 = in.readUnsignedByte();
        if ((b0 & B0_MASK_RSV) != 0) {
            throw new WebSocketException(CLOSE_PROTOCOL_ERROR, "reserved bits set without an extension: " + (b0 & B0_MASK_RSV));
        }
        if ((b1 & B1_FLAG_MASK) == 0) {
            throw new WebSocketException(CLOSE_PROTOCOL_ERROR, "client frame not masked");
        }
        boolean fin = (b0 & B0_FLAG_FIN) != 0;
        int opcode = b0 & B0_MASK_OPCODE;
        long length = b1 & B1_MASK_LENGTH;
        if (length == PAYLOAD_SHORT) {
            length = in.readUnsignedShort();
        } else if (length == PAYLOAD_LONG) {
            length = in.readLong();
            if (length < 0) {
                throw new WebSocketException(CLOSE_PROTOCOL_ERROR, "payload length has its top bit set: " + length);
            }
        }
        boolean control = WebSocketProtocol.isControl(opcode);
        if (control && length > PAYLOAD_SHORT_MAX) {
            throw new WebSocketException(CLOSE_PROTOCOL_ERROR, "control frame payload of " + length + " bytes (max 125)");
        }
        if (control && !fin) {
            throw new WebSocketException(CLOSE_PROTOCOL_ERROR, "fragmented control frame, opcode " + opcode);
        }
        if (!control && message.size() + length > maxMessage) {
            throw new WebSocketException(CLOSE_TOO_BIG, "message of more than " + maxMessage + " bytes");
        }
        byte[] mask = new byte[4];
        in.readFully(mask);
        byte[] payload = new byte[(int) length];
        in.readFully(payload);
        for (int i = 0; i < payload.length; i++) {
            payload[i] ^= mask[i & 3];
        }
        switch (opcode) {
            case OPCODE_PING:
                listener.onPing(payload);
                return true;
            case OPCODE_PONG:
                return true;
            case OPCODE_CLOSE:
                closeFrame(payload, listener);
                return false;
            case OPCODE_TEXT:
            case OPCODE_BINARY:
                if (messageOpcode != -1) {
                    throw new WebSocketException(CLOSE_PROTOCOL_ERROR, "new message (opcode " + opcode
                            + ") inside a fragmented one");
                }
                messageOpcode = opcode;
                break;
            case OPCODE_CONTINUATION:
                if (messageOpcode == -1) {
                    throw new WebSocketException(CLOSE_PROTOCOL_ERROR, "continuation frame without a message");
                }
                break;
            default:
                throw new WebSocketException(CLOSE_PROTOCOL_ERROR, "unknown opcode " + opcode);
        }
        message.write(payload, 0, payload.length);
        if (fin) {
            byte[] whole = message.toByteArray();
            int kind = messageOpcode;
            message.reset();
            messageOpcode = -1;
            if (kind == OPCODE_TEXT) {
                listener.onText(utf8(whole));
            } else {
                listener.onBinary(whole);
            }
        }
        return true;
    }

    private static void closeFrame(byte[] payload, Listener listener) throws IOException {
        if (payload.length == 1) {
            throw new WebSocketException(CLOSE_PROTOCOL_ERROR, "close frame with a 1-byte payload");
        }
        int code = payload.length == 0 ? 1005 : ((payload[0] & 0xff) << 8) | (payload[1] & 0xff);
        String reason = payload.length <= 2 ? "" : utf8(java.util.Arrays.copyOfRange(payload, 2, payload.length));
        listener.onClose(code, reason);
    }

    private static String utf8(byte[] bytes) throws WebSocketException {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new WebSocketException(CLOSE_INVALID_PAYLOAD, "text message is not valid UTF-8");
        }
    }
}
