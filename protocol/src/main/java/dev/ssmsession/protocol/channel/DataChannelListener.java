package dev.ssmsession.protocol.channel;

import dev.ssmsession.protocol.crypto.PayloadDecryptionException;
import dev.ssmsession.protocol.message.ClientMessage;
import dev.ssmsession.protocol.message.MalformedMessageException;
import dev.ssmsession.protocol.message.PayloadType;
import dev.ssmsession.protocol.payload.ChannelClosed;

/**
 * What a {@link DataChannel} tells its owner. Every callback runs synchronously inside an engine call
 * ({@code onFrame}, {@code tick}, {@code offerOutput}, …), that is, while the owner holds the lock
 * around the engine. Callbacks must therefore not block and must not do I/O: the transport enqueues
 * frames and writes them after releasing the lock.
 *
 * <p>From inside a callback the owner may call {@link DataChannel#offerOutput}, {@link
 * DataChannel#sendMessage}, {@link DataChannel#setCipher} and the read-only methods; it must not call
 * {@link DataChannel#onFrame} (feed frames from the transport's own queue instead).
 */
public interface DataChannelListener {

    /**
     * A frame to put on the wire as one binary WebSocket message: data messages (new or resent, the
     * identical bytes each time) and acks. The array is shared with the retransmission buffer: do not
     * modify it. Never called while the transport is down, paused (data only) or after the channel
     * has closed or failed.
     */
    void writeFrame(byte[] frame);

    /**
     * The next payload of the peer's stream, in sequence order, decrypted when a cipher is set and the
     * type is encrypted in this direction (SPEC §5.5).
     *
     * <p>Handshake payloads (types 5 to 9) have been acked before this call (SPEC §4.5) and count as
     * delivered whatever is returned. For any other payload, {@link Delivery#NOT_READY} leaves it
     * un-acked and undelivered so the peer sends it again.
     *
     * @param type    the payload type, or {@code null} when {@code rawType} is not a known {@link PayloadType}
     * @param rawType the uint32 PayloadType from the wire
     * @param payload the payload bytes, owned by the callee from now on
     * @return whether the payload was consumed; never {@code null}
     */
    Delivery onPayload(PayloadType type, long rawType, byte[] payload);

    /**
     * The service closed the channel (SPEC §3.4, §7.3). If its JSON did not parse, {@code closed}
     * carries only {@code MessageType} {@code channel_closed} and {@code null} elsewhere: the session
     * is over either way. The engine sends nothing afterwards and ignores further frames.
     */
    void onChannelClosed(ChannelClosed closed);

    /**
     * The oldest un-acked data message went un-acked for {@link DataChannelConfig#giveUpAfter()} (SPEC
     * §6.3). The channel is dead: nothing more is sent or delivered. The client typically calls the
     * {@code TerminateSession} API.
     *
     * @param reason names the sequence number, the time and the number of transmissions
     */
    void onGiveUp(String reason);

    /**
     * A payload of an encrypted type failed to decrypt at delivery time (SPEC §5.5). It is not acked,
     * and the channel is dead: nothing more is sent or delivered.
     */
    void onDecryptionFailure(PayloadType type, long sequenceNumber, PayloadDecryptionException cause);

    /**
     * Room opened for {@link DataChannel#offerOutput} after an offer accepted fewer bytes than it was
     * given. Called once per such shortfall.
     */
    default void onWritable() {
    }

    /**
     * A frame was not a valid message (SPEC §2.3), or an acknowledge carried unreadable JSON. The frame
     * was dropped and not acked.
     */
    default void onInvalidFrame(MalformedMessageException problem) {
    }

    /**
     * A valid message of a type this role does not act on (SPEC §3.1: the other direction's data,
     * agent/service bookkeeping types, anything unknown). It was ignored and not acked.
     */
    default void onIgnoredMessage(ClientMessage message) {
    }

    /**
     * The service sent {@code pause_publication}: data sending (new and resent) stops until it resumes.
     * Acks still go out, and the give-up deadline keeps running (the Go plugin ignores the pause and
     * keeps resending, so it too gives up after about five minutes).
     */
    default void onPublicationPaused() {
    }

    /** Sending resumed after a pause: {@code start_publication}, or any data or ack arrived. */
    default void onPublicationResumed() {
    }

    /**
     * Adaptive pacing ({@link DataChannelConfig.Pacing#ADAPTIVE}) met a burst of retransmissions, a
     * publication pause or a lost connection while probing above {@code messagesPerSecond}, and paces at
     * exactly that rate for the rest of this channel. Called at most once per channel; worth a log line.
     *
     * @param reason what happened, with the rate it was probing at
     */
    default void onPacingFallback(String reason) {
    }
}
