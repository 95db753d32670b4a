package dev.ssmsession.protocol.channel;

import dev.ssmsession.protocol.channel.internal.ChannelState;
import dev.ssmsession.protocol.channel.internal.PacingControl;
import dev.ssmsession.protocol.channel.internal.Receiver;
import dev.ssmsession.protocol.channel.internal.RetransmitWindow;
import dev.ssmsession.protocol.channel.internal.RttEstimator;
import dev.ssmsession.protocol.channel.internal.Sender;
import dev.ssmsession.protocol.crypto.PayloadCipher;
import dev.ssmsession.protocol.message.ClientMessageCodec;
import dev.ssmsession.protocol.message.PayloadType;
import java.util.Locale;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * The reliability layer of one data channel (SPEC §6): sequencing, acks, the reorder buffer,
 * retransmission with the RTT/RTO estimator, pacing, backpressure and per-direction encryption.
 *
 * <p>A plain, deterministic state machine: no threads, no sockets, no system clock. The owner feeds
 * it inbound frames ({@link #onFrame}), outbound data ({@link #offerOutput}, {@link #sendMessage})
 * and time ({@link #tick} when {@link #nextDeadlineNanos} is due); it answers through the
 * {@link DataChannelListener}.
 *
 * <p><b>Not thread-safe.</b> The owner holds one lock around every call. Listener callbacks run
 * synchronously inside these calls and must not block: the transport enqueues the frames it is
 * given and writes them outside the lock.
 *
 * <p>Differences from the Go plugin, on purpose (ARCHITECTURE "Decisions that differ"): a full
 * window applies backpressure instead of dropping the oldest message; duplicates are re-acked;
 * sending is paced and coalesced instead of sleeping 1 ms per message; the resend time is stored
 * (SPEC §6.3), so a message is resent once per RTO, not on every scheduler run.
 *
 * <p>This class wires the two directions together and guards against re-entry from callbacks; the
 * {@code internal} {@code Receiver} handles what arrives and the {@code Sender} what leaves. They
 * share the {@code ChannelState}, the window of un-acked messages (acks retire them) and the RTT
 * estimator (acks sample it, resend timers read it).
 */
public final class DataChannel {

    private final DataChannelConfig config;
    private final ChannelRole role;
    private final ChannelState state = new ChannelState();
    private final RetransmitWindow window = new RetransmitWindow();
    private final RttEstimator rtt = new RttEstimator();
    private final ChannelClock clock;
    private final PacingControl pacing;
    private final Receiver receiver;
    private final Sender sender;

    /** Inside {@link Receiver#onFrame}: listener callbacks must not feed another frame. */
    private boolean inFrame;
    /** Inside {@link Sender#sendDue}: keeps a callback's offer from re-entering the pump or feeding a frame. */
    private boolean pumping;

    private DataChannel(DataChannelConfig config, ChannelRole role, ChannelClock clock, Supplier<UUID> ids,
                        DataChannelListener listener) {
        this.config = Objects.requireNonNull(config, "config");
        this.role = Objects.requireNonNull(role, "role");
        this.clock = Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(ids, "ids");
        Objects.requireNonNull(listener, "listener");
        ClientMessageCodec codec = ClientMessageCodec.create();
        this.pacing = config.pacing() == DataChannelConfig.Pacing.ADAPTIVE
                ? PacingControl.adaptive(config.messagesPerSecond(), listener::onPacingFallback)
                : PacingControl.fixed(config.messagesPerSecond());
        this.receiver = new Receiver(role, state, clock, ids, listener, codec, config.reorderCapacity(), window, rtt, pacing);
        this.sender = new Sender(config, role, role::flagsFor, state, clock, ids, listener, codec, window, rtt, pacing);
    }

    /**
     * A new channel, open, transport up, sequence numbers at 0.
     *
     * @param ids source of MessageIds for new messages and acks: random v4 UUIDs in production
     *            ({@code UUID::randomUUID}), a deterministic sequence in tests
     */
    public static DataChannel create(DataChannelConfig config, ChannelRole role, ChannelClock clock,
                                     Supplier<UUID> ids, DataChannelListener listener) {
        return new DataChannel(config, role, clock, ids, listener);
    }

    public ChannelRole role() {
        return role;
    }

    public DataChannelConfig config() {
        return config;
    }

    /** False once the service closed the channel or the channel gave up or failed; then it is inert. */
    public boolean isOpen() {
        return state.isOpen();
    }

    /**
     * Turns on encryption (SPEC §5.5): from now on the encrypted payload types are encrypted when sent
     * and decrypted when delivered. Messages already sent are resent as they were.
     */
    public void setCipher(PayloadCipher cipher) {
        state.cipher(Objects.requireNonNull(cipher, "cipher"));
    }

    // ------------------------------------------------------------------ inbound

    /**
     * Handles one binary frame from the transport: decode and validate (invalid → {@link
     * DataChannelListener#onInvalidFrame}, dropped, not acked), then act on its type (SPEC §3.1, §6.2,
     * §6.5). Ignored once the channel is not open.
     *
     * @throws IllegalStateException if called from inside a listener callback of this channel
     */
    public void onFrame(byte[] frame) {
        Objects.requireNonNull(frame, "frame");
        if (inFrame || pumping) {
            throw new IllegalStateException("onFrame called from inside a listener callback; queue the frame instead");
        }
        if (!state.isOpen()) {
            return;
        }
        inFrame = true;
        try {
            receiver.onFrame(frame);
        } finally {
            inFrame = false;
        }
        pump();
    }

    /**
     * Tries again to deliver buffered messages after the listener answered {@link Delivery#NOT_READY}
     * for one that had already been acked out of order (the peer will not resend it). Call when the
     * listener becomes ready; also happens on the next inbound data frame.
     */
    public void retryDelivery() {
        if (state.isOpen()) {
            receiver.drain();
            pump();
        }
    }

    // ------------------------------------------------------------------ outbound

    /**
     * Accepts Output stream bytes, as many as the window and the pending-bytes budget allow, and sends
     * them in chunks of up to {@link DataChannelConfig#chunkSize()} as pacing permits; bytes waiting
     * for a slot coalesce. Nothing accepted is ever dropped.
     *
     * @return bytes accepted; less than {@code len} (possibly 0) means full, and {@link
     *         DataChannelListener#onWritable()} follows when room opens
     * @throws IllegalStateException if the channel is closed or failed
     */
    public int offerOutput(byte[] b, int off, int len) {
        Objects.checkFromIndexSize(off, len, b.length);
        requireOpen();
        return sender.offer(b, off, len, this::pump);
    }

    /**
     * Queues a payload sent as one data message of its own (Size, Flag, handshake responses, …), in
     * order with the stream and sharing its sequence counter (SPEC §6.1). Always accepted: control
     * payloads are small and rare; they wait for the window like everything else.
     *
     * @throws IllegalArgumentException if the type is {@link PayloadType#NONE}, the payload is empty
     *         (the agent cannot read it, SPEC §2.3) or larger than {@link DataChannelConfig#MAX_PAYLOAD_SIZE}
     * @throws IllegalStateException if the channel is closed or failed
     */
    public void sendMessage(PayloadType type, byte[] payload) {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(payload, "payload");
        if (type == PayloadType.NONE) {
            throw new IllegalArgumentException("payload type NONE is for acks and control messages, not data");
        }
        if (payload.length == 0) {
            throw new IllegalArgumentException(type + " payload must not be empty: the agent cannot read a message without one");
        }
        if (payload.length > DataChannelConfig.MAX_PAYLOAD_SIZE) {
            throw new IllegalArgumentException(type + " payload of " + payload.length + " bytes exceeds " + DataChannelConfig.MAX_PAYLOAD_SIZE);
        }
        requireOpen();
        sender.queueMessage(type, payload.clone());
        pump();
    }

    /** Bytes {@link #offerOutput} would accept now. */
    public int outputRoom() {
        return sender.room();
    }

    // ------------------------------------------------------------------ time and transport

    /** Does what is due: give-up check, retransmission, paced sends. */
    public void tick() {
        pump();
    }

    /**
     * When {@link #tick()} should run next, on the {@link ChannelClock#nanoTime()} scale; empty when
     * nothing is scheduled (the next inbound frame or offer will say). A deadline at or before now
     * means "now".
     */
    public OptionalLong nextDeadlineNanos() {
        return sender.nextDeadlineNanos();
    }

    /**
     * The WebSocket is gone. Nothing is written until {@link #transportUp()}: offers still queue, up to
     * {@link DataChannelConfig#maxPendingBytes()}; acks that would be due are skipped (the peer resends
     * and the duplicate is re-acked).
     * The give-up deadline keeps running: un-acked data that long means a dead session whatever the
     * cause, and the client's own reconnect deadline is normally shorter.
     */
    public void transportDown() {
        if (state.isOpen() && !state.transportDown()) {
            pacing.transportDown(clock.nanoTime());
        }
        state.transportDown(true);
    }

    /**
     * A new WebSocket is open (SPEC §7.2). Sending resumes, starting with every un-acked message, in
     * order ({@link #retransmitUnacked()}): what was in flight on the old connection may be lost, and
     * waiting for each timer would resend only one message per RTO. Safe to call without a
     * preceding {@link #transportDown()}.
     */
    public void transportUp() {
        if (state.isOpen()) {
            pacing.transportUp(clock.nanoTime());
        }
        state.transportDown(false);
        retransmitUnacked();
    }

    /**
     * Resends every un-acked message now, oldest first, ahead of new data (SPEC §7.2; the Go plugin
     * waits for the timer instead). Resends still take pacing slots, so a large window drains at the
     * configured rate rather than as one burst the service would reject.
     */
    public void retransmitUnacked() {
        if (state.isOpen()) {
            sender.markAllForResend();
            pump();
        }
    }

    /** Runs after every call that may have made sending possible; at most one pump at a time. */
    private void pump() {
        if (!state.isOpen() || pumping) {
            return;
        }
        pumping = true;
        try {
            sender.sendDue();
        } finally {
            pumping = false;
        }
        sender.signalWritable();
    }

    private void requireOpen() {
        if (!state.isOpen()) {
            throw new IllegalStateException("data channel is " + state.phase().name().toLowerCase(Locale.ROOT));
        }
    }

    /** A snapshot of the counters. */
    public DataChannelStats stats() {
        return new DataChannelStats(sender.messagesSent(), sender.messagesResent(), receiver.messagesAcked(),
                sender.bytesSent(), receiver.acksSent(), receiver.messagesDelivered(), receiver.bytesDelivered(),
                receiver.duplicatesReceived(), receiver.reorderDropped(), receiver.invalidFrames(),
                window.size(), receiver.reorderBuffered(), sender.pendingBytes(), sender.pendingMessages(),
                rtt.rttNanos(), rtt.rttVarNanos(), rtt.rtoNanos(), sender.nextSequence(), receiver.expectedSequence(),
                pacing.rate(), pacing.fellBack());
    }

    /** Shows state and sequence numbers, never payloads or keys. */
    @Override
    public String toString() {
        return "DataChannel[" + role + " " + state.phase() + (state.paused() ? " paused" : "")
                + (state.transportDown() ? " transport-down" : "") + " next=" + sender.nextSequence()
                + " expected=" + receiver.expectedSequence() + " unacked=" + window.size() + "]";
    }
}
