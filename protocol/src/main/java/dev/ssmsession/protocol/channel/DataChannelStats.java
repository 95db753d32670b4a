package dev.ssmsession.protocol.channel;

/**
 * A snapshot of a {@link DataChannel}'s counters, for tests, benchmarks and diagnostics.
 *
 * @param messagesSent       data messages sent for the first time
 * @param messagesResent     retransmissions (timer or {@link DataChannel#retransmitUnacked()})
 * @param messagesAcked      own data messages the peer acknowledged
 * @param bytesSent          payload bytes of first transmissions, as on the wire (ciphertext when encrypted)
 * @param acksSent           acknowledge messages written, re-acks of duplicates included
 * @param messagesDelivered  payloads handed to the listener and accepted
 * @param bytesDelivered     payload bytes of those, as delivered (plaintext)
 * @param duplicatesReceived data messages that arrived again after being delivered or buffered
 * @param reorderDropped     out-of-order messages dropped un-acked because the reorder buffer was full
 * @param invalidFrames      frames dropped as invalid
 * @param unacked            data messages in flight (the window)
 * @param reorderBuffered    out-of-order messages held for delivery
 * @param pendingBytes       stream bytes accepted by {@code offerOutput} and not yet sent
 * @param pendingMessages    {@code sendMessage} payloads not yet sent
 * @param rttNanos           smoothed round-trip time (SPEC §6.4)
 * @param rttVarNanos        round-trip time variation
 * @param rtoNanos           current retransmission timeout
 * @param nextSequenceNumber the sequence number the next new data message gets
 * @param expectedSequenceNumber the peer's sequence number delivered next
 * @param pacingRate         data messages per second the pacer allows now; 0 = unpaced
 * @param pacingFellBack     adaptive pacing stopped probing for good (see {@link DataChannelConfig.Pacing#ADAPTIVE})
 */
public record DataChannelStats(
        long messagesSent,
        long messagesResent,
        long messagesAcked,
        long bytesSent,
        long acksSent,
        long messagesDelivered,
        long bytesDelivered,
        long duplicatesReceived,
        long reorderDropped,
        long invalidFrames,
        int unacked,
        int reorderBuffered,
        int pendingBytes,
        int pendingMessages,
        long rttNanos,
        long rttVarNanos,
        long rtoNanos,
        long nextSequenceNumber,
        long expectedSequenceNumber,
        int pacingRate,
        boolean pacingFellBack) {
}
