package dev.ssmsession.protocol.smux;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * One direction of an in-memory byte pipe between two sessions. Frames the sender emits queue up
 * here; {@link #pump} hands the receiver an arbitrary-sized chunk (splitting and joining frames)
 * and then reports the bytes written to the sender, as a transport would. A spy decoder records
 * every frame that passed, for assertions about the wire.
 */
final class Link {
    private final ArrayDeque<byte[]> queue = new ArrayDeque<>();
    private final SmuxFrameDecoder spy;
    final List<SmuxFrame> sent = new ArrayList<>();
    private int headOffset;
    private long queued;
    private SmuxSession from;
    private SmuxSession to;
    /** When false the sender never hears outputWritten: its outgoing buffer fills. */
    boolean reportWritten = true;

    Link(SmuxVersion version) {
        spy = new SmuxFrameDecoder(version, 65535);
    }

    void connect(SmuxSession from, SmuxSession to) {
        this.from = from;
        this.to = to;
    }

    void add(byte[] frame) {
        queue.addLast(frame);
        queued += frame.length;
        spy.decode(frame, 0, frame.length, sent::add);
    }

    long queued() {
        return queued;
    }

    /** Delivers up to {@code max} queued bytes as one chunk; returns how many. */
    int pump(int max) {
        int n = (int) Math.min(max, queued);
        if (n == 0) {
            return 0;
        }
        byte[] chunk = new byte[n];
        int filled = 0;
        while (filled < n) {
            byte[] head = queue.peekFirst();
            int k = Math.min(n - filled, head.length - headOffset);
            System.arraycopy(head, headOffset, chunk, filled, k);
            filled += k;
            headOffset += k;
            if (headOffset == head.length) {
                queue.removeFirst();
                headOffset = 0;
            }
        }
        queued -= n;
        to.onInput(chunk, 0, n);
        if (reportWritten) {
            from.outputWritten(n);
        }
        return n;
    }

    List<SmuxFrame> sent(SmuxCommand command) {
        return sent.stream().filter(f -> f.command() == command).toList();
    }
}
