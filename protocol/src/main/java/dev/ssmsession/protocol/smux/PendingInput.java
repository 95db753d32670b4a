package dev.ssmsession.protocol.smux;

import java.util.ArrayDeque;
import java.util.Arrays;

/** Peer bytes the session has taken but not decoded yet, because its receive bucket is full. */
final class PendingInput {
    private final ArrayDeque<byte[]> chunks = new ArrayDeque<>();
    private int headOffset;
    private long size;

    void add(byte[] b, int off, int len) {
        if (len > 0) {
            chunks.addLast(Arrays.copyOfRange(b, off, off + len));
            size += len;
        }
    }

    /** Puts bytes before everything queued; only while nothing of the head chunk was consumed yet. */
    void addFirst(byte[] b, int off, int len) {
        if (len > 0) {
            if (headOffset != 0) {
                throw new IllegalStateException("head chunk partly consumed");
            }
            chunks.addFirst(Arrays.copyOfRange(b, off, off + len));
            size += len;
        }
    }

    boolean isEmpty() {
        return size == 0;
    }

    long size() {
        return size;
    }

    byte[] head() {
        return chunks.peekFirst();
    }

    int headOffset() {
        return headOffset;
    }

    void advance(int n) {
        headOffset += n;
        size -= n;
        if (headOffset == chunks.peekFirst().length) {
            chunks.removeFirst();
            headOffset = 0;
        }
    }

    void clear() {
        chunks.clear();
        headOffset = 0;
        size = 0;
    }
}
