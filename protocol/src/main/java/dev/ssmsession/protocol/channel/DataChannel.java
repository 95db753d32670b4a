package dev.ssmsession.protocol.channel;

import dev.ssmsession.protocol.channel.internal.ChannelState;
import dev.ssmsession.protocol.channel.internal.OutboundQueue;
import dev.ssmsession.protocol.channel.internal.Outgoing;
import dev.ssmsession.protocol.channel.internal.Pacer;
import dev.ssmsession.protocol.channel.internal.Receiver;
import dev.ssmsession.protocol.channel.internal.RetransmitWindow;
import dev.ssmsession.protocol.channel.internal.RttEstimator;
import dev.ssmsession.protocol.crypto.PayloadCipher;
import dev.ssmsession.protocol.message.ClientMessage;
import dev.ssmsession.protocol.message.ClientMessageCodec;
import dev.ssmsession.protocol.message.PayloadType;
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
 */
public final class DataChannel {

    private final DataChannelConfig config;
    private final ChannelRole role;
    private final ChannelClock clock;
    private final Supplier<UUID> ids;
    private final DataChannelListener listener;
    private final ClientMessageCodec codec = ClientMessageCodec.create();
    private final long giveUpNanos;
    private final RttEstimator rtt = new RttEstimator();
    private final Pacer pacer;
    private final OutboundQueue outbound = new OutboundQueue();
    private final RetransmitWindow window = new RetransmitWindow();
    private final ChannelState state = new ChannelState();
    private final Receiver receiver;

    private boolean writeBlocked;
    private boolean pumping;
    private boolean inFrame;
    private long nextSequence;

    private long messagesSent;
    private long messagesResent;
    private long bytesSent;

    private DataChannel(DataChannelConfig config, ChannelRole role, ChannelClock clock, Supplier<UUID> ids,
                        DataChannelListener listener) {
        this.config = Objects.requireNonNull(config, "config");
        this.role = Objects.requireNonNull(role, "role");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.ids = Objects.requireNonNull(ids, "ids");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.giveUpNanos = config.giveUpAfter().toNanos();
        this.pacer = new Pacer(config.messagesPerSecond());
        this.receiver = new Receiver(role, state, clock, ids, listener, codec, config.reorderCapacity(), window, rtt);
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
        writeBlocked = false;
        int accepted = 0;
        while (accepted < len && state.isOpen()) {
            int n = Math.min(len - accepted, outputRoom());
            if (n <= 0) {
                break;
            }
            outbound.appendBytes(b, off + accepted, n);
            accepted += n;
            pump();
        }
        if (accepted < len) {
            writeBlocked = true;
        }
        return accepted;
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
        outbound.appendMessage(type, payload.clone());
        pump();
    }

    /** Bytes {@link #offerOutput} would accept now. */
    public int outputRoom() {
        if (!state.isOpen()) {
            return 0;
        }
        long messages = (long) config.maxUnacked() - window.size() - outbound.pendingMessages();
        long windowBytes = messages * config.chunkSize() - outbound.pendingBytes();
        long budget = (long) config.maxPendingBytes() - outbound.pendingBytes();
        return (int) Math.max(0, Math.min(windowBytes, budget));
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
        if (!state.isOpen()) {
            return OptionalLong.empty();
        }
        long now = clock.nanoTime();
        Outgoing oldest = window.oldest();
        long best = 0;
        boolean any = false;
        if (oldest != null) {
            best = oldest.firstSentNanos() + giveUpNanos;
            any = true;
        }
        if (state.maySendData()) {
            long slot = pacer.availableAt(now);
            boolean sendable = window.peekMarked() != null
                    || (!outbound.isEmpty() && window.size() < config.maxUnacked());
            if (sendable) {
                best = any ? earliest(best, slot) : slot;
                any = true;
            }
            if (oldest != null) {
                long resend = latest(oldest.lastSentNanos() + rtt.rtoNanos(), slot);
                best = earliest(best, resend);
            }
        }
        return any ? OptionalLong.of(best) : OptionalLong.empty();
    }

    /**
     * The WebSocket is gone. Nothing is written until {@link #transportUp()}: offers still queue, up to
     * {@link DataChannelConfig#maxPendingBytes()}; acks that would be due are skipped (the peer resends
     * and the duplicate is re-acked).
     * The give-up deadline keeps running: un-acked data that long means a dead session whatever the
     * cause, and the client's own reconnect deadline is normally shorter.
     */
    public void transportDown() {
        state.transportDown(true);
    }

    /**
     * A new WebSocket is open (SPEC §7.2). Sending resumes, starting with every un-acked message, in
     * order ({@link #retransmitUnacked()}): what was in flight on the old connection may be lost, and
     * waiting for each timer would resend only one message per RTO. Safe to call without a
     * preceding {@link #transportDown()}.
     */
    public void transportUp() {
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
            window.markAllForResend();
            pump();
        }
    }

    // ------------------------------------------------------------------ the pump

    private void pump() {
        if (!state.isOpen() || pumping) {
            return;
        }
        pumping = true;
        try {
            long now = clock.nanoTime();
            Outgoing oldest = window.oldest();
            if (oldest != null && now - oldest.firstSentNanos() >= giveUpNanos) {
                giveUp(oldest, now);
                return;
            }
            if (state.maySendData()) {
                sendDue(now);
            }
        } finally {
            pumping = false;
        }
        if (writeBlocked && state.isOpen() && outputRoom() > 0) {
            writeBlocked = false;
            listener.onWritable();
        }
    }

    private void sendDue(long now) {
        for (Outgoing marked; (marked = window.peekMarked()) != null; ) {
            if (!pacer.tryAcquire(now)) {
                return;
            }
            window.unmarkFirst();
            resend(marked, now);
        }
        Outgoing oldest = window.oldest();
        // SPEC §6.3: only the oldest un-acked message is retransmitted, once its RTO has passed.
        if (oldest != null && now - oldest.lastSentNanos() >= rtt.rtoNanos()) {
            if (!pacer.tryAcquire(now)) {
                return;
            }
            resend(oldest, now);
        }
        while (!outbound.isEmpty() && window.size() < config.maxUnacked() && state.isOpen()) {
            if (!pacer.tryAcquire(now)) {
                return;
            }
            sendNew(outbound.poll(config.chunkSize()), now);
        }
    }

    private void resend(Outgoing o, long now) {
        o.resent(now);
        messagesResent++;
        listener.writeFrame(o.frame());
    }

    private void sendNew(OutboundQueue.Item item, long now) {
        byte[] payload = item.payload();
        PayloadCipher cipher = state.cipher();
        if (cipher != null && role.encryptsOutgoing(item.type())) {
            payload = cipher.encrypt(payload);
        }
        long seq = nextSequence++;
        ClientMessage m = new ClientMessage(role.sends().wire(), 1, clock.epochMillis(), seq, role.flagsFor(seq),
                ids.get(), item.type().wire(), payload);
        byte[] frame = codec.encode(m);
        window.add(new Outgoing(seq, frame, now));
        messagesSent++;
        bytesSent += payload.length;
        listener.writeFrame(frame);
    }

    private void giveUp(Outgoing oldest, long now) {
        state.fail();
        listener.onGiveUp("data message " + oldest.sequenceNumber() + " un-acked for "
                + (now - oldest.firstSentNanos()) / 1_000_000 + " ms after " + oldest.transmissions()
                + " transmission(s); giving up after " + config.giveUpAfter());
    }

    private void requireOpen() {
        if (!state.isOpen()) {
            throw new IllegalStateException("data channel is " + state.phase().name().toLowerCase(java.util.Locale.ROOT));
        }
    }

    private static long earliest(long a, long b) {
        return a - b <= 0 ? a : b;
    }

    private static long latest(long a, long b) {
        return a - b >= 0 ? a : b;
    }

    /** A snapshot of the counters. */
    public DataChannelStats stats() {
        return new DataChannelStats(messagesSent, messagesResent, receiver.messagesAcked(), bytesSent, receiver.acksSent(),
                receiver.messagesDelivered(), receiver.bytesDelivered(), receiver.duplicatesReceived(),
                receiver.reorderDropped(), receiver.invalidFrames(),
                window.size(), receiver.reorderBuffered(), outbound.pendingBytes(), outbound.pendingMessages(),
                rtt.rttNanos(), rtt.rttVarNanos(), rtt.rtoNanos(), nextSequence, receiver.expectedSequence());
    }

    /** Shows state and sequence numbers, never payloads or keys. */
    @Override
    public String toString() {
        return "DataChannel[" + role + " " + state.phase() + (state.paused() ? " paused" : "")
                + (state.transportDown() ? " transport-down" : "")
                + " next=" + nextSequence + " expected=" + receiver.expectedSequence() + " unacked=" + window.size() + "]";
    }
}
