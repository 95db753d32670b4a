package dev.ssmsession.protocol.channel.internal;

import java.util.ArrayDeque;
import java.util.Map;
import java.util.TreeMap;

/**
 * The un-acked data messages in sequence order (SPEC §6.1 outgoing buffer), plus the queue of
 * messages marked for immediate resend after a reconnect.
 */
public final class RetransmitWindow {
    private final TreeMap<Long, Outgoing> unacked = new TreeMap<>();
    private final ArrayDeque<Long> resendQueue = new ArrayDeque<>();

    public void add(Outgoing message) {
        unacked.put(message.sequenceNumber(), message);
    }

    /** Removes and returns the message with this sequence number, or {@code null} if not in flight. */
    public Outgoing acknowledge(long sequenceNumber) {
        return unacked.remove(sequenceNumber);
    }

    /** The oldest un-acked message, or {@code null}. */
    public Outgoing oldest() {
        Map.Entry<Long, Outgoing> e = unacked.firstEntry();
        return e == null ? null : e.getValue();
    }

    public int size() {
        return unacked.size();
    }

    /** Marks every message now in flight for resending, oldest first. */
    public void markAllForResend() {
        resendQueue.clear();
        resendQueue.addAll(unacked.keySet());
    }

    /** The next message marked for resend that is still un-acked, or {@code null}; does not unmark it. */
    public Outgoing peekMarked() {
        while (!resendQueue.isEmpty()) {
            Outgoing o = unacked.get(resendQueue.peekFirst());
            if (o != null) {
                return o;
            }
            resendQueue.pollFirst();
        }
        return null;
    }

    public void unmarkFirst() {
        resendQueue.pollFirst();
    }
}
