package dev.ssmsession.protocol.channel.internal;

import dev.ssmsession.protocol.channel.ChannelClock;
import dev.ssmsession.protocol.channel.ChannelRole;
import dev.ssmsession.protocol.channel.DataChannelListener;
import dev.ssmsession.protocol.channel.Delivery;
import dev.ssmsession.protocol.crypto.PayloadCipher;
import dev.ssmsession.protocol.crypto.PayloadDecryptionException;
import dev.ssmsession.protocol.message.ClientMessage;
import dev.ssmsession.protocol.message.ClientMessageCodec;
import dev.ssmsession.protocol.message.MalformedMessageException;
import dev.ssmsession.protocol.message.MessageType;
import dev.ssmsession.protocol.message.PayloadType;
import dev.ssmsession.protocol.payload.Acknowledge;
import dev.ssmsession.protocol.payload.ChannelClosed;
import dev.ssmsession.protocol.payload.PayloadFormatException;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * The inbound side of a data channel: decodes each frame and acts on its type (SPEC §3.1). Data is
 * delivered in sequence order, out-of-order messages wait in the {@link ReorderBuffer}, duplicates
 * are re-acked (SPEC §6.5); acks retire sent messages and feed the {@link RttEstimator} (SPEC §6.2,
 * §6.4); {@code channel_closed} ends the channel (SPEC §3.4); publication pauses and resumes.
 *
 * <p>Not thread-safe; driven by {@code DataChannel}, which guards against re-entry from listener
 * callbacks. The reorder drain guards itself, because a callback may call {@code retryDelivery}.
 */
public final class Receiver {

    private static final long SYN_FIN = ClientMessage.FLAG_SYN | ClientMessage.FLAG_FIN;

    private final ChannelRole role;
    private final ChannelState state;
    private final ChannelClock clock;
    private final Supplier<UUID> ids;
    private final DataChannelListener listener;
    private final ClientMessageCodec codec;
    private final ReorderBuffer reorder;
    private final RetransmitWindow window;
    private final RttEstimator rtt;
    private final PacingControl pacing;

    private boolean draining;
    private long expectedSequence;

    private long messagesAcked;
    private long acksSent;
    private long messagesDelivered;
    private long bytesDelivered;
    private long duplicatesReceived;
    private long reorderDropped;
    private long invalidFrames;

    /**
     * @param window the sender's in-flight messages, which acks retire
     * @param rtt    the estimator the sender's timers read, which acks sample
     * @param pacing told of every ack that retires a message, and of publication pauses
     */
    public Receiver(ChannelRole role, ChannelState state, ChannelClock clock, Supplier<UUID> ids,
                    DataChannelListener listener, ClientMessageCodec codec, int reorderCapacity,
                    RetransmitWindow window, RttEstimator rtt, PacingControl pacing) {
        this.role = role;
        this.state = state;
        this.clock = clock;
        this.ids = ids;
        this.listener = listener;
        this.codec = codec;
        this.reorder = new ReorderBuffer(reorderCapacity);
        this.window = window;
        this.rtt = rtt;
        this.pacing = pacing;
    }

    /** Decodes one frame (invalid → reported, dropped, not acked) and acts on its type. */
    public void onFrame(byte[] frame) {
        ClientMessage m;
        try {
            m = codec.decode(frame);
        } catch (MalformedMessageException e) {
            invalidFrames++;
            listener.onInvalidFrame(e);
            return;
        }
        String type = m.messageType();
        if (type.equals(role.receives().wire())) {
            resumePublication();
            onData(m);
            drain(); // a stalled buffered message gets another chance (see DataChannel.retryDelivery)
        } else if (m.is(MessageType.ACKNOWLEDGE)) {
            resumePublication();
            onAck(m);
        } else if (m.is(MessageType.CHANNEL_CLOSED)) {
            onChannelClosed(m);
        } else if (m.is(MessageType.PAUSE_PUBLICATION)) {
            if (state.pause()) {
                pacing.paused(clock.nanoTime());
                listener.onPublicationPaused();
            }
        } else if (m.is(MessageType.START_PUBLICATION)) {
            resumePublication();
        } else {
            listener.onIgnoredMessage(m);
        }
    }

    /** Delivers the buffered successors of the last delivered message, through the same dispatch. */
    public void drain() {
        if (draining) {
            return;
        }
        draining = true;
        try {
            ClientMessage next;
            while (state.isOpen() && (next = reorder.get(expectedSequence)) != null) {
                if (!deliver(next, true)) {
                    break;
                }
                reorder.remove(expectedSequence);
                expectedSequence++;
            }
        } finally {
            draining = false;
        }
    }

    private void onData(ClientMessage m) {
        long seq = m.sequenceNumber();
        if (seq < expectedSequence) {
            // Our ack was lost: re-ack, or the peer resends forever (SPEC §6.5, §12.1).
            duplicatesReceived++;
            sendAck(m);
        } else if (reorder.contains(seq)) {
            duplicatesReceived++;
            sendAck(m);
            drain();
        } else if (seq > expectedSequence) {
            if (reorder.offer(m)) {
                sendAck(m);
            } else {
                reorderDropped++;
            }
        } else if (deliver(m, false)) {
            expectedSequence++;
            drain();
        }
    }

    /** Hands one in-order message to the listener; returns whether the stream advances past it. */
    private boolean deliver(ClientMessage m, boolean acked) {
        long rawType = m.payloadType();
        PayloadType type = PayloadType.fromWire(rawType).orElse(null);
        if (isHandshake(type)) {
            // SPEC §4.5: handshake payloads are acked before they are processed.
            if (!acked) {
                sendAck(m);
            }
            listener.onPayload(type, rawType, m.payload());
            delivered(m.payload().length);
            return true;
        }
        byte[] payload = m.payload();
        PayloadCipher cipher = state.cipher();
        if (cipher != null && role.decryptsIncoming(type)) {
            try {
                payload = cipher.decrypt(payload);
            } catch (PayloadDecryptionException e) {
                state.fail();
                listener.onDecryptionFailure(type, m.sequenceNumber(), e);
                return false;
            }
        }
        Delivery d = Objects.requireNonNull(listener.onPayload(type, rawType, payload), "listener returned null Delivery");
        if (d == Delivery.NOT_READY) {
            return false;
        }
        if (!acked) {
            sendAck(m);
        }
        delivered(payload.length);
        return true;
    }

    private void delivered(int bytes) {
        messagesDelivered++;
        bytesDelivered += bytes;
    }

    private static boolean isHandshake(PayloadType type) {
        return type == PayloadType.HANDSHAKE_REQUEST || type == PayloadType.HANDSHAKE_RESPONSE
                || type == PayloadType.HANDSHAKE_COMPLETE || type == PayloadType.ENC_CHALLENGE_REQUEST
                || type == PayloadType.ENC_CHALLENGE_RESPONSE;
    }

    private void onAck(ClientMessage m) {
        Acknowledge ack;
        try {
            ack = Acknowledge.fromJson(m.payload());
        } catch (PayloadFormatException e) {
            invalidFrames++;
            listener.onInvalidFrame(new MalformedMessageException("Payload", "acknowledge " + m.messageId() + ": " + e.getMessage()));
            return;
        }
        // SPEC §6.2: only the sequence number matters; an unknown one is ignored.
        Outgoing acked = window.acknowledge(ack.acknowledgedMessageSequenceNumber());
        if (acked != null) {
            messagesAcked++;
            long now = clock.nanoTime();
            rtt.sample(now - acked.lastSentNanos());
            pacing.acked(now, acked);
        }
    }

    private void onChannelClosed(ClientMessage m) {
        ChannelClosed closed;
        try {
            closed = ChannelClosed.fromJson(m.payload());
        } catch (PayloadFormatException e) {
            // SPEC §3.4: a payload that does not parse still ends the session.
            closed = new ChannelClosed(null, null, null, null, MessageType.CHANNEL_CLOSED.wire(), 0, null);
        }
        state.close();
        listener.onChannelClosed(closed);
    }

    private void resumePublication() {
        if (state.resume()) {
            listener.onPublicationResumed();
        }
    }

    /** SPEC §3.3: SequenceNumber 0, Flags SYN|FIN, fresh MessageId, PayloadType 0. */
    private void sendAck(ClientMessage m) {
        if (state.transportDown()) {
            return; // the peer resends and the duplicate is re-acked
        }
        Acknowledge body = new Acknowledge(m.messageType(), m.messageId().toString(), m.sequenceNumber(), true);
        ClientMessage ack = new ClientMessage(MessageType.ACKNOWLEDGE.wire(), 1, clock.epochMillis(), 0, SYN_FIN,
                ids.get(), PayloadType.NONE.wire(), body.toJson());
        acksSent++;
        listener.writeFrame(codec.encode(ack));
    }

    /** The sequence number of the peer's message delivered next. */
    public long expectedSequence() {
        return expectedSequence;
    }

    public int reorderBuffered() {
        return reorder.size();
    }

    public long messagesAcked() {
        return messagesAcked;
    }

    public long acksSent() {
        return acksSent;
    }

    public long messagesDelivered() {
        return messagesDelivered;
    }

    public long bytesDelivered() {
        return bytesDelivered;
    }

    public long duplicatesReceived() {
        return duplicatesReceived;
    }

    public long reorderDropped() {
        return reorderDropped;
    }

    public long invalidFrames() {
        return invalidFrames;
    }
}
