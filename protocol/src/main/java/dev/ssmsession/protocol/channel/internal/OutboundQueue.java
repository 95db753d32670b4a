package dev.ssmsession.protocol.channel.internal;

import dev.ssmsession.protocol.message.PayloadType;
import java.util.ArrayDeque;
import java.util.Arrays;

/**
 * Data waiting to be sequenced and sent: runs of Output stream bytes, which coalesce into chunks,
 * and whole control payloads, which keep their own message boundary. Order between the two is kept:
 * bytes offered before a control payload go out before it, even as a short chunk.
 */
public final class OutboundQueue {

    /** One message's worth of data taken off the queue. */
    public record Item(PayloadType type, byte[] payload) {
    }

    private final ArrayDeque<Object> entries = new ArrayDeque<>();
    private int pendingBytes;
    private int pendingMessages;

    /** Appends stream bytes, joining the bytes already waiting when no control payload is between them. */
    public void appendBytes(byte[] b, int off, int len) {
        if (len == 0) {
            return;
        }
        Object last = entries.peekLast();
        ByteRun run;
        if (last instanceof ByteRun r) {
            run = r;
        } else {
            run = new ByteRun();
            entries.addLast(run);
        }
        run.append(b, off, len);
        pendingBytes += len;
    }

    /** Appends a control payload that is sent as one message of its own. */
    public void appendMessage(PayloadType type, byte[] payload) {
        entries.addLast(new Item(type, payload));
        pendingMessages++;
    }

    public boolean isEmpty() {
        return entries.isEmpty();
    }

    /** Takes the next message: up to {@code chunkSize} stream bytes, or the next control payload. */
    public Item poll(int chunkSize) {
        Object head = entries.peekFirst();
        if (head == null) {
            return null;
        }
        if (head instanceof ByteRun run) {
            byte[] chunk = run.take(chunkSize);
            pendingBytes -= chunk.length;
            if (run.isEmpty()) {
                entries.pollFirst();
            }
            return new Item(PayloadType.OUTPUT, chunk);
        }
        entries.pollFirst();
        pendingMessages--;
        return (Item) head;
    }

    public int pendingBytes() {
        return pendingBytes;
    }

    public int pendingMessages() {
        return pendingMessages;
    }

    /** A growable byte FIFO. */
    private static final class ByteRun {
        private byte[] buf = new byte[256];
        private int start;
        private int end;

        void append(byte[] b, int off, int len) {
            if (buf.length - end < len) {
                int size = end - start;
                if (buf.length - size >= len && start > 0) {
                    System.arraycopy(buf, start, buf, 0, size);
                } else {
                    byte[] bigger = new byte[Math.max(buf.length * 2, size + len)];
                    System.arraycopy(buf, start, bigger, 0, size);
                    buf = bigger;
                }
                start = 0;
                end = size;
            }
            System.arraycopy(b, off, buf, end, len);
            end += len;
        }

        byte[] take(int max) {
            int n = Math.min(max, end - start);
            byte[] out = Arrays.copyOfRange(buf, start, start + n);
            start += n;
            if (start == end) {
                start = 0;
                end = 0;
            }
            return out;
        }

        boolean isEmpty() {
            return start == end;
        }
    }
}
