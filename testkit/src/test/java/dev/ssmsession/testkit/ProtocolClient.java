package dev.ssmsession.testkit;

import dev.ssmsession.protocol.message.ClientMessage;
import dev.ssmsession.protocol.message.ClientMessageCodec;
import dev.ssmsession.protocol.message.MessageType;
import dev.ssmsession.protocol.message.PayloadType;
import dev.ssmsession.protocol.payload.Acknowledge;
import dev.ssmsession.protocol.payload.Payloads;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.java_websocket.client.WebSocketClient;
import org.java_websocket.handshake.ServerHandshake;

/**
 * A deliberately small data-channel client for tests: it speaks the protocol with the codec and
 * plain records, nothing from the future client library. It acks the agent's data, delivers it in
 * order once, and numbers its own input.
 */
final class ProtocolClient implements AutoCloseable {
    static final Duration WAIT = Duration.ofSeconds(20);

    record Closed(int code, String reason, boolean remote) {
    }

    private final ClientMessageCodec codec = ClientMessageCodec.create();
    private final WebSocketClient ws;
    final BlockingQueue<ClientMessage> frames = new LinkedBlockingQueue<>();
    /** System.nanoTime() at which each of {@link #frames} arrived, same order. */
    final java.util.List<Long> arrivals = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
    final BlockingQueue<ClientMessage> data = new LinkedBlockingQueue<>();
    final BlockingQueue<ClientMessage> control = new LinkedBlockingQueue<>();
    final CompletableFuture<Closed> closed = new CompletableFuture<>();
    final java.util.concurrent.atomic.AtomicInteger invalidFrames = new java.util.concurrent.atomic.AtomicInteger();
    final CompletableFuture<Void> opened = new CompletableFuture<>();
    private final Map<Long, ClientMessage> early = new TreeMap<>();
    private long expected;
    private long nextSeq;
    volatile boolean autoAck = true;
    final Map<Long, byte[]> sentInput = new HashMap<>();

    private ProtocolClient(URI uri, Map<String, String> headers) {
        ws = new WebSocketClient(uri, headers) {
            @Override
            public void onOpen(ServerHandshake h) {
                opened.complete(null);
            }

            @Override
            public void onMessage(String message) {
            }

            @Override
            public void onMessage(ByteBuffer bytes) {
                byte[] b = new byte[bytes.remaining()];
                bytes.get(b);
                try {
                    onFrame(codec.decode(b));
                } catch (dev.ssmsession.protocol.message.MalformedMessageException e) {
                    invalidFrames.incrementAndGet();
                }
            }

            @Override
            public void onClose(int code, String reason, boolean remote) {
                opened.completeExceptionally(new IllegalStateException("closed " + code + " " + reason));
                closed.complete(new Closed(code, reason, remote));
            }

            @Override
            public void onError(Exception ex) {
            }
        };
    }

    /** Connects without sending anything. */
    static ProtocolClient raw(String streamUrl, Map<String, String> headers) throws Exception {
        ProtocolClient c = new ProtocolClient(URI.create(streamUrl), headers);
        c.ws.connect();
        c.opened.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        return c;
    }

    /** Connects and sends OpenDataChannel with {@code token}. */
    static ProtocolClient open(String streamUrl, String token) throws Exception {
        ProtocolClient c = raw(streamUrl, Map.of());
        c.sendOpen(token);
        return c;
    }

    void sendOpen(String token) {
        ws.send("{\"MessageSchemaVersion\":\"1.0\",\"RequestId\":\"" + UUID.randomUUID()
                + "\",\"TokenValue\":\"" + token + "\",\"ClientId\":\"" + UUID.randomUUID()
                + "\",\"ClientVersion\":\"1.2.677.0\"}");
    }

    private synchronized void onFrame(ClientMessage m) {
        frames.add(m);
        arrivals.add(System.nanoTime());
        if (!m.is(MessageType.OUTPUT_STREAM_DATA)) {
            if (!m.is(MessageType.ACKNOWLEDGE)) {
                control.add(m);
            }
            return;
        }
        if (!autoAck) {
            data.add(m);
            return;
        }
        ack(m);
        if (m.sequenceNumber() == expected) {
            data.add(m);
            expected++;
            ClientMessage next;
            while ((next = early.remove(expected)) != null) {
                data.add(next);
                expected++;
            }
        } else if (m.sequenceNumber() > expected) {
            early.putIfAbsent(m.sequenceNumber(), m);
        }
    }

    synchronized long expected() {
        return expected;
    }

    /**
     * After a reconnect: take over the receive state of the previous connection, as a real client's
     * engine does: what it delivered is not expected again, what it buffered (and acked) early stays.
     */
    void inheritFrom(ProtocolClient old) {
        long exp;
        Map<Long, ClientMessage> buffered;
        long next;
        synchronized (old) {
            exp = old.expected;
            buffered = new TreeMap<>(old.early);
            next = old.nextSeq;
        }
        synchronized (this) {
            expected = exp;
            early.putAll(buffered);
            nextSeq = next;
        }
    }

    /** After a reconnect: what the previous connection already delivered is not expected again. */
    synchronized void skipTo(long seq) {
        expected = seq;
        early.keySet().removeIf(k -> k < seq);
        data.removeIf(m -> m.sequenceNumber() < seq);
    }

    /** After a reconnect: continue the input sequence of the previous connection. */
    synchronized void continueInputAt(long seq) {
        nextSeq = seq;
    }

    void ack(ClientMessage m) {
        if (!ws.isOpen()) {
            return; // the service already closed: nothing to ack to
        }
        Acknowledge a = new Acknowledge(m.messageType(), m.messageId().toString(), m.sequenceNumber(), true);
        sendRaw(codec.encode(new ClientMessage(MessageType.ACKNOWLEDGE.wire(), 1, System.currentTimeMillis(), 0, 3,
                UUID.randomUUID(), 0, Payloads.toJson(a))));
    }

    /** Sends one sequenced input message and returns its sequence number. */
    synchronized long send(PayloadType type, byte[] payload) {
        long seq = nextSeq++;
        byte[] frame = codec.encode(new ClientMessage(MessageType.INPUT_STREAM_DATA.wire(), 1, System.currentTimeMillis(),
                seq, 0, UUID.randomUUID(), type.wire(), payload));
        sentInput.put(seq, frame);
        sendRaw(frame);
        return seq;
    }

    long sendText(String text) {
        return send(PayloadType.OUTPUT, text.getBytes(StandardCharsets.UTF_8));
    }

    void sendRaw(byte[] frame) {
        ws.send(frame);
    }

    void sendTextFrame(String text) {
        ws.send(text);
    }

    /** The next in-order data message from the agent. */
    ClientMessage nextData() throws InterruptedException {
        ClientMessage m = data.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        if (m == null) {
            throw new AssertionError("no data message from the agent within " + WAIT);
        }
        return m;
    }

    ClientMessage nextControl() throws InterruptedException {
        ClientMessage m = control.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        if (m == null) {
            throw new AssertionError("no control message within " + WAIT);
        }
        return m;
    }

    /** Collects data payloads of {@code type} until their text satisfies {@code done}. */
    String readUntil(PayloadType type, Predicate<String> done) throws InterruptedException {
        return readUntil(type, done, WAIT);
    }

    /** As {@link #readUntil(PayloadType, Predicate)}, failing after {@code within} instead of {@link #WAIT}. */
    String readUntil(PayloadType type, Predicate<String> done, Duration within) throws InterruptedException {
        ByteArrayOutputStream acc = new ByteArrayOutputStream();
        long deadline = System.nanoTime() + within.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            ClientMessage m = left <= 0 ? null : data.poll(left, TimeUnit.NANOSECONDS);
            if (m == null) {
                throw new AssertionError("condition not met within " + within + "; got: " + acc.toString(StandardCharsets.UTF_8));
            }
            if (m.payloadType() == type.wire()) {
                acc.writeBytes(m.payload());
                String text = acc.toString(StandardCharsets.UTF_8);
                if (done.test(text)) {
                    return text;
                }
            }
        }
    }

    Closed awaitClose() throws Exception {
        return closed.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    void cutAbruptly() {
        ws.getConnection().closeConnection(1006, "test cut");
    }

    @Override
    public void close() {
        ws.close();
    }
}
