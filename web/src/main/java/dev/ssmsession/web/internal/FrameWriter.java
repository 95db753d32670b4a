package dev.ssmsession.web.internal;

import static dev.ssmsession.web.internal.WebSocketProtocol.B0_FLAG_FIN;
import static dev.ssmsession.web.internal.WebSocketProtocol.OPCODE_CLOSE;
import static dev.ssmsession.web.internal.WebSocketProtocol.PAYLOAD_LONG;
import static dev.ssmsession.web.internal.WebSocketProtocol.PAYLOAD_SHORT;
import static dev.ssmsession.web.internal.WebSocketProtocol.PAYLOAD_SHORT_MAX;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Writes unmasked server frames, one whole frame per call under one lock (the output pump and the reader's pongs
 * share the socket). A write blocks while the browser does not read: that is the backpressure to the session.
 */
public final class FrameWriter {
    private final OutputStream out;
    private boolean closeSent;

    public FrameWriter(OutputStream out) {
        this.out = out;
    }

    public synchronized void write(int opcode, byte[] payload, int offset, int length) throws IOException {
        if (closeSent) {
            throw new IOException("WebSocket already closed");
        }
        byte[] head = new byte[10];
        int n = 0;
        head[n++] = (byte) (B0_FLAG_FIN | opcode);
        if (length <= PAYLOAD_SHORT_MAX) {
            head[n++] = (byte) length;
        } else if (length <= 0xffff) {
            head[n++] = (byte) PAYLOAD_SHORT;
            head[n++] = (byte) (length >>> 8);
            head[n++] = (byte) length;
        } else {
            head[n++] = (byte) PAYLOAD_LONG;
            long l = length;
            for (int shift = 56; shift >= 0; shift -= 8) {
                head[n++] = (byte) (l >>> shift);
            }
        }
        out.write(head, 0, n);
        out.write(payload, offset, length);
        out.flush();
        if (opcode == OPCODE_CLOSE) {
            closeSent = true;
        }
    }

    /**
     * Sends a close frame once; later calls do nothing. The reason is cut to fit a control frame, between characters
     * (a reason that is not valid UTF-8 would make the browser fail the connection instead).
     */
    public synchronized void close(int code, String reason) throws IOException {
        if (closeSent) {
            return;
        }
        String cut = reason;
        byte[] text = cut.getBytes(StandardCharsets.UTF_8);
        while (text.length > PAYLOAD_SHORT_MAX - 2) {
            cut = cut.substring(0, cut.offsetByCodePoints(cut.length(), -1));
            text = cut.getBytes(StandardCharsets.UTF_8);
        }
        int len = text.length;
        byte[] payload = new byte[2 + len];
        payload[0] = (byte) (code >>> 8);
        payload[1] = (byte) code;
        System.arraycopy(text, 0, payload, 2, len);
        write(OPCODE_CLOSE, payload, 0, payload.length);
    }

    public synchronized boolean closeSent() {
        return closeSent;
    }
}
