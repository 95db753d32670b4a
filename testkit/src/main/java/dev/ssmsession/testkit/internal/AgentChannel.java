package dev.ssmsession.testkit.internal;

import dev.ssmsession.protocol.crypto.PayloadCipher;
import dev.ssmsession.protocol.crypto.PayloadDecryptionException;
import dev.ssmsession.protocol.message.ClientMessage;
import dev.ssmsession.protocol.message.ClientMessageCodec;
import dev.ssmsession.protocol.message.MessageType;
import dev.ssmsession.protocol.message.PayloadType;
import dev.ssmsession.protocol.payload.Acknowledge;
import dev.ssmsession.protocol.payload.PayloadFormatException;
import dev.ssmsession.protocol.payload.Payloads;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's end of the data channel (SPEC §6 from the agent's side): sequences
 * {@code output_stream_data}, keeps it until acknowledged and resends the oldest un-acked message
 * after the RTO; acknowledges the client's {@code input_stream_data}, re-acks duplicates, buffers
 * and acks messages that arrive early and delivers everything in order. {@code pause_publication}
 * stops sending and resending until any data, ack or {@code start_publication} arrives.
 *
 * <p>Time comes from an injected clock and {@link #tick()} is called by the owner's scheduler, so
 * tests can drive it on virtual time. One lock guards all state; the wire callback is called
 * under it (it only queues).
 */
public final class AgentChannel {
    private static final Logger LOG = LoggerFactory.getLogger(AgentChannel.class);

    /** The agent's window: producers block beyond it rather than drop (the agent refuses when full). */
    static final int DEFAULT_WINDOW = 10_000;
    private static final long INITIAL_RTT = 100;
    private static final long INITIAL_RTO = 200;
    private static final long MAX_RTO = 1000;
    private static final long CLOCK_GRANULARITY = 10;
    private static final int MAX_EARLY = 100_000;

    /** An in-order payload from the client, decrypted. */
    public record Delivered(long payloadType, byte[] payload) {
    }

    private static final class Outgoing {
        final long seq;
        final byte[] frame;
        long lastSent;
        boolean sent;

        Outgoing(long seq, byte[] frame) {
            this.seq = seq;
            this.frame = frame;
        }
    }

    private final ClientMessageCodec codec = ClientMessageCodec.create();
    private final Consumer<byte[]> wire;
    private final LongSupplier clock;
    private final Supplier<UUID> ids;
    private final Consumer<Delivered> deliver;
    private final int window;

    private final Object deliveryLock = new Object();
    private final Deque<Outgoing> unacked = new ArrayDeque<>();
    private final Map<Long, ClientMessage> early = new TreeMap<>();
    private long nextSeq;
    private long expected;
    private double rtt = INITIAL_RTT;
    private double rttVar;
    private long rto = INITIAL_RTO;
    private boolean paused;
    private boolean closed;
    private PayloadCipher cipher;
    private long resends;

    public AgentChannel(Consumer<byte[]> wire, LongSupplier clockMillis, Supplier<UUID> ids,
                        Consumer<Delivered> deliver, int window) {
        this.wire = wire;
        this.clock = clockMillis;
        this.ids = ids;
        this.deliver = deliver;
        this.window = window;
    }

    /** From now on Output, StdErr and ExitCode are sealed, and incoming Output is opened (SPEC §5.5). */
    public synchronized void enableEncryption(PayloadCipher cipher) {
        this.cipher = cipher;
    }

    /**
     * Sequences and sends one payload, blocking while the window is full.
     *
     * @throws IllegalStateException if the channel closed (also while waiting)
     */
    public synchronized void send(PayloadType type, byte[] payload) {
        while (unacked.size() >= window && !closed) {
            try {
                wait();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while the agent's window was full", e);
            }
        }
        if (closed) {
            throw new IllegalStateException("data channel closed");
        }
        byte[] body = payload;
        if (cipher != null && (type == PayloadType.OUTPUT || type == PayloadType.STDERR || type == PayloadType.EXIT_CODE)) {
            body = cipher.encrypt(payload);
        }
        long seq = nextSeq++;
        ClientMessage m = new ClientMessage(MessageType.OUTPUT_STREAM_DATA.wire(), 1, clock.getAsLong(), seq,
                seq == 0 ? ClientMessage.FLAG_SYN : 0, ids.get(), type.wire(), body);
        Outgoing out = new Outgoing(seq, codec.encode(m));
        unacked.addLast(out);
        if (!paused) {
            transmit(out);
        }
    }

    /** Handles one decoded frame from the client. */
    public void onFrame(ClientMessage m) {
        if (!m.is(MessageType.INPUT_STREAM_DATA)) {
            // Acks and publication control never deliver anything: they must not wait behind a
            // delivery that blocks (a plugin writing to a full PTY waits for these very acks).
            synchronized (this) {
                if (!closed) {
                    handle(m);
                }
            }
            return;
        }
        // One delivery at a time, even across a reconnect's overlapping connections.
        synchronized (deliveryLock) {
            onFrameLocked(m);
        }
    }

    private void onFrameLocked(ClientMessage m) {
        java.util.List<ClientMessage> ready;
        synchronized (this) {
            if (closed) {
                return;
            }
            ready = handle(m);
        }
        // Delivery outside the lock: a plugin may send (and block on the window) in response.
        // Decryption happens at delivery so a key switched on by the previous message applies.
        for (ClientMessage d : ready) {
            byte[] payload = d.payload();
            PayloadCipher c = currentCipher();
            if (c != null && d.payloadType() == PayloadType.OUTPUT.wire()) {
                try {
                    payload = c.decrypt(payload);
                } catch (PayloadDecryptionException e) {
                    LOG.warn("agent cannot decrypt input seq {}: {}", d.sequenceNumber(), e.getMessage());
                    continue;
                }
            }
            deliver.accept(new Delivered(d.payloadType(), payload));
        }
    }

    private synchronized PayloadCipher currentCipher() {
        return cipher;
    }

    private java.util.List<ClientMessage> handle(ClientMessage m) {
        String type = m.messageType();
        java.util.List<ClientMessage> none = java.util.List.of();
        if (MessageType.ACKNOWLEDGE.wire().equals(type)) {
            resume();
            onAck(m);
            return none;
        }
        if (MessageType.PAUSE_PUBLICATION.wire().equals(type)) {
            paused = true;
            return none;
        }
        if (MessageType.START_PUBLICATION.wire().equals(type)) {
            resume();
            return none;
        }
        if (!MessageType.INPUT_STREAM_DATA.wire().equals(type)) {
            LOG.info("agent ignores message type '{}'", type);
            return none;
        }
        resume();
        long seq = m.sequenceNumber();
        if (seq < expected) {
            ack(m);
            return none;
        }
        if (seq > expected) {
            if (early.size() < MAX_EARLY) {
                early.putIfAbsent(seq, m);
                ack(m);
            }
            return none;
        }
        ack(m);
        java.util.List<ClientMessage> out = new java.util.ArrayList<>();
        out.add(m);
        expected++;
        ClientMessage next;
        while ((next = early.remove(expected)) != null) {
            out.add(next);
            expected++;
        }
        return out;
    }

    private void onAck(ClientMessage m) {
        Acknowledge a;
        try {
            a = Payloads.fromJson(m.payload(), Acknowledge.class);
        } catch (PayloadFormatException e) {
            LOG.info("agent ignores an unreadable acknowledge: {}", e.getMessage());
            return;
        }
        for (Iterator<Outgoing> it = unacked.iterator(); it.hasNext(); ) {
            Outgoing o = it.next();
            if (o.seq == a.acknowledgedMessageSequenceNumber()) {
                if (o.sent) {
                    updateRto(clock.getAsLong() - o.lastSent);
                }
                it.remove();
                notifyAll();
                return;
            }
        }
    }

    /** Jacobson/Karels with the agent's constants (SPEC §6.4). */
    private void updateRto(long sample) {
        rttVar = 0.75 * rttVar + 0.25 * Math.abs(rtt - sample);
        rtt = 0.875 * rtt + 0.125 * sample;
        rto = Math.min(MAX_RTO, (long) (rtt + Math.max(CLOCK_GRANULARITY, 4 * rttVar)));
    }

    private void ack(ClientMessage m) {
        Acknowledge a = new Acknowledge(m.messageType(), m.messageId().toString(), m.sequenceNumber(), true);
        ClientMessage ack = new ClientMessage(MessageType.ACKNOWLEDGE.wire(), 1, clock.getAsLong(), 0,
                ClientMessage.FLAG_SYN | ClientMessage.FLAG_FIN, ids.get(), PayloadType.NONE.wire(), Payloads.toJson(a));
        wire.accept(codec.encode(ack));
    }

    private void resume() {
        if (paused) {
            paused = false;
            for (Outgoing o : unacked) {
                if (!o.sent) {
                    transmit(o);
                }
            }
        }
    }

    private void transmit(Outgoing o) {
        o.sent = true;
        o.lastSent = clock.getAsLong();
        wire.accept(o.frame);
    }

    /** Resends the oldest un-acked message once it is older than the RTO (SPEC §6.3, agent variant). */
    public synchronized void tick() {
        if (closed || paused || unacked.isEmpty()) {
            return;
        }
        Outgoing oldest = unacked.peekFirst();
        if (oldest.sent && clock.getAsLong() - oldest.lastSent > rto) {
            resends++;
            transmit(oldest);
        }
    }

    /** True when every message sent so far has been acknowledged. */
    public synchronized boolean drained() {
        return unacked.isEmpty();
    }

    public synchronized long resends() {
        return resends;
    }

    public synchronized int unackedCount() {
        return unacked.size();
    }

    public synchronized long expectedSequence() {
        return expected;
    }

    public synchronized void close() {
        closed = true;
        notifyAll();
    }
}
