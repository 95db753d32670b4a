package dev.ssmsession.protocol.channel.internal;

import dev.ssmsession.protocol.message.ClientMessage;
import java.util.HashMap;
import java.util.Map;

/** Out-of-order data messages by sequence number, bounded (SPEC §6.5 incoming buffer). */
public final class ReorderBuffer {
    private final int capacity;
    private final Map<Long, ClientMessage> bySequence = new HashMap<>();

    public ReorderBuffer(int capacity) {
        this.capacity = capacity;
    }

    public boolean contains(long sequenceNumber) {
        return bySequence.containsKey(sequenceNumber);
    }

    /** Stores the message unless the buffer is full; returns whether it was stored. */
    public boolean offer(ClientMessage message) {
        if (bySequence.size() >= capacity) {
            return false;
        }
        bySequence.put(message.sequenceNumber(), message);
        return true;
    }

    /** The message with this sequence number, or {@code null}. */
    public ClientMessage get(long sequenceNumber) {
        return bySequence.get(sequenceNumber);
    }

    public void remove(long sequenceNumber) {
        bySequence.remove(sequenceNumber);
    }

    public int size() {
        return bySequence.size();
    }
}
