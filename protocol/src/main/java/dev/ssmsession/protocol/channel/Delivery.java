package dev.ssmsession.protocol.channel;

/** What the listener did with a delivered payload (SPEC §6.5). */
public enum Delivery {
    /** Consumed: the engine acks the message (if not acked already) and moves on to the next one. */
    ACCEPTED,
    /**
     * Cannot be consumed yet (no session handler installed, port stream not set up). The engine does
     * not ack and does not advance, so the peer retransmits the message; see
     * {@link DataChannel#retryDelivery()} for messages that were acked when buffered out of order.
     */
    NOT_READY
}
