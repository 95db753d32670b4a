package dev.ssmsession.protocol.channel.internal;

import dev.ssmsession.protocol.channel.ChannelClock;
import dev.ssmsession.protocol.channel.ChannelRole;
import dev.ssmsession.protocol.channel.DataChannelConfig;
import dev.ssmsession.protocol.channel.DataChannelListener;
import dev.ssmsession.protocol.crypto.PayloadCipher;
import dev.ssmsession.protocol.message.ClientMessage;
import dev.ssmsession.protocol.message.ClientMessageCodec;
import dev.ssmsession.protocol.message.PayloadType;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.function.LongUnaryOperator;
import java.util.function.Supplier;

/**
 * The outbound side of a data channel: queues stream bytes and control payloads ({@link
 * OutboundQueue}), cuts and coalesces them into messages, numbers and encrypts them (SPEC §6.1,
 * §5.5), paces them ({@link PacingControl}), holds them in the {@link RetransmitWindow} until acked, applies
 * backpressure when the window or the pending-bytes budget is full, retransmits the oldest on its RTO
 * (SPEC §6.3) or everything after a reconnect (SPEC §7.2), and gives up when the oldest stays
 * un-acked too long.
 *
 * <p>Not thread-safe; driven by {@code DataChannel}, which owns the pump and its re-entrancy guard.
 */
public final class Sender {

    private final DataChannelConfig config;
    private final ChannelRole role;
    private final LongUnaryOperator flagsFor;
    private final ChannelState state;
    private final ChannelClock clock;
    private final Supplier<UUID> ids;
    private final DataChannelListener listener;
    private final ClientMessageCodec codec;
    private final RetransmitWindow window;
    private final RttEstimator rtt;
    private final long giveUpNanos;
    private final PacingControl pacer;
    private final OutboundQueue queue = new OutboundQueue();

    private final int lowWater;
    private boolean writeBlocked;
    private long nextSequence;

    private long messagesSent;
    private long messagesResent;
    private long bytesSent;

    /**
     * @param flagsFor the Flags of the data message with a given sequence number (SPEC §2.1)
     * @param window   the in-flight messages, which the receiver's acks retire
     * @param rtt      the estimator the receiver's acks sample, which sets the resend timer
     * @param pacing   the pacing slots, told of every message written
     */
    public Sender(DataChannelConfig config, ChannelRole role, LongUnaryOperator flagsFor, ChannelState state,
                  ChannelClock clock, Supplier<UUID> ids, DataChannelListener listener, ClientMessageCodec codec,
                  RetransmitWindow window, RttEstimator rtt, PacingControl pacing) {
        this.config = config;
        this.role = role;
        this.flagsFor = flagsFor;
        this.state = state;
        this.clock = clock;
        this.ids = ids;
        this.listener = listener;
        this.codec = codec;
        this.window = window;
        this.rtt = rtt;
        this.giveUpNanos = config.giveUpAfter().toNanos();
        this.pacer = pacing;
        long most = Math.min((long) config.maxUnacked() * config.chunkSize(), config.maxPendingBytes());
        this.lowWater = (int) Math.max(1, most / 4);
    }

    // ------------------------------------------------------------------ queueing and backpressure

    /**
     * Queues as many of these stream bytes as {@link #room()} allows, running {@code pump} after each
     * append so that what it sends makes room for more within the same offer. A shortfall is
     * remembered and answered by {@link DataChannelListener#onWritable()} from {@link #signalWritable()}.
     */
    public int offer(byte[] b, int off, int len, Runnable pump) {
        writeBlocked = false;
        int accepted = 0;
        while (accepted < len && state.isOpen()) {
            int n = Math.min(len - accepted, room());
            if (n <= 0) {
                break;
            }
            queue.appendBytes(b, off + accepted, n);
            accepted += n;
            pump.run();
        }
        if (accepted < len) {
            writeBlocked = true;
        }
        return accepted;
    }

    /** Queues a control payload as one message of its own, in order with the stream. */
    public void queueMessage(PayloadType type, byte[] payload) {
        queue.appendMessage(type, payload);
    }

    /** Stream bytes {@link #offer} would accept now: bounded by the free window and the pending-bytes budget. */
    public int room() {
        if (!state.isOpen()) {
            return 0;
        }
        long messages = (long) config.maxUnacked() - window.size() - queue.pendingMessages();
        long windowBytes = messages * config.chunkSize() - queue.pendingBytes();
        long budget = (long) config.maxPendingBytes() - queue.pendingBytes();
        return (int) Math.max(0, Math.min(windowBytes, budget));
    }

    /**
     * Tells the listener once that room opened after a shortfall: once a quarter of the most room there can be is
     * free (a low-water mark, as Netty's {@code WriteBufferWaterMark}), not at the first free byte, so a blocked
     * writer wakes for a few chunks' worth rather than once for every message that leaves.
     */
    public void signalWritable() {
        if (writeBlocked && state.isOpen() && room() >= lowWater) {
            writeBlocked = false;
            listener.onWritable();
        }
    }

    // ------------------------------------------------------------------ sending

    /** Does what is due now: give up, or (unless paused or disconnected) resend and send as pacing permits. */
    public void sendDue() {
        long now = clock.nanoTime();
        Outgoing oldest = window.oldest();
        if (oldest != null && now - oldest.firstSentNanos() >= giveUpNanos) {
            giveUp(oldest, now);
        } else if (state.maySendData()) {
            transmit(now);
        }
    }

    /** Marks every un-acked message for resending ahead of new data, oldest first (SPEC §7.2). */
    public void markAllForResend() {
        window.markAllForResend();
    }

    private void transmit(long now) {
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
        while (!queue.isEmpty() && window.size() < config.maxUnacked() && state.isOpen()) {
            if (!pacer.tryAcquire(now)) {
                return;
            }
            sendNew(queue.poll(config.chunkSize()), now);
        }
    }

    private void resend(Outgoing o, long now) {
        o.resent(now);
        messagesResent++;
        pacer.sent(now);
        listener.writeFrame(o.frame());
    }

    private void sendNew(OutboundQueue.Item item, long now) {
        byte[] payload = item.payload();
        PayloadCipher cipher = state.cipher();
        if (cipher != null && role.encryptsOutgoing(item.type())) {
            payload = cipher.encrypt(payload);
        }
        long seq = nextSequence++;
        ClientMessage m = new ClientMessage(role.sends().wire(), 1, clock.epochMillis(), seq, flagsFor.applyAsLong(seq),
                ids.get(), item.type().wire(), payload);
        byte[] frame = codec.encode(m);
        window.add(new Outgoing(seq, frame, now));
        messagesSent++;
        bytesSent += payload.length;
        pacer.sent(now);
        listener.writeFrame(frame);
    }

    private void giveUp(Outgoing oldest, long now) {
        state.fail();
        listener.onGiveUp("data message " + oldest.sequenceNumber() + " un-acked for "
                + (now - oldest.firstSentNanos()) / 1_000_000 + " ms after " + oldest.transmissions()
                + " transmission(s); giving up after " + config.giveUpAfter());
    }

    // ------------------------------------------------------------------ timers

    /** When {@link #sendDue()} has something to do: give-up, a pacing slot for due data, or the RTO. */
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
                    || (!queue.isEmpty() && window.size() < config.maxUnacked());
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

    // nanoTime values may wrap: compare by difference.
    private static long earliest(long a, long b) {
        return a - b <= 0 ? a : b;
    }

    private static long latest(long a, long b) {
        return a - b >= 0 ? a : b;
    }

    // ------------------------------------------------------------------ counters

    /** The sequence number the next new data message gets. */
    public long nextSequence() {
        return nextSequence;
    }

    public int pendingBytes() {
        return queue.pendingBytes();
    }

    public int pendingMessages() {
        return queue.pendingMessages();
    }

    public long messagesSent() {
        return messagesSent;
    }

    public long messagesResent() {
        return messagesResent;
    }

    public long bytesSent() {
        return bytesSent;
    }
}
