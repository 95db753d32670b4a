package dev.ssmsession.client.internal;

import dev.ssmsession.client.SessionToken;
import dev.ssmsession.protocol.channel.DataChannelConfig;
import dev.ssmsession.protocol.message.ClientMessage;
import dev.ssmsession.protocol.message.ClientMessageCodec;
import dev.ssmsession.protocol.message.MessageType;
import dev.ssmsession.protocol.message.PayloadType;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;

import org.java_websocket.WebSocket;

import java.net.URI;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The service side of {@link ChannelSession} tests: a loopback WebSocket server the test scripts by hand, a
 * scripted SSM endpoint (ResumeSession, TerminateSession), and the manager's threads (a scheduler marked as
 * such, an I/O pool named as the manager's).
 */
final class ScriptedPeer implements AutoCloseable {
    private static final ClientMessageCodec CODEC = ClientMessageCodec.create();

    final LoopbackWebSocketServer server;
    final FakeSsm ssm;
    final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(1, ManagerThreads.scheduler("test-scheduler-"));
    final ExecutorService io = Executors.newCachedThreadPool(ManagerThreads.daemon("test-io-"));

    ScriptedPeer() throws Exception {
        server = new LoopbackWebSocketServer().startAndWait();
        ssm = new FakeSsm();
    }

    String streamUrl(String sessionId) {
        return server.url("/v1/data-channel/" + sessionId + "?role=publish_subscribe");
    }

    /** ResumeSession answers with a new token for the same StreamUrl. */
    void resumeWith(String sessionId, String token) {
        ssm.reply("ResumeSession", 200, "{\"SessionId\":\"" + sessionId + "\",\"TokenValue\":\"" + token + "\","
                + "\"StreamUrl\":\"" + streamUrl(sessionId) + "\"}");
    }

    /** A session connected to this peer, its OpenDataChannel received with {@code token}. */
    ChannelSession connect(String sessionId, String token, DataChannelConfig config) throws InterruptedException {
        TransportContext ctx = new TransportContext(
                new WebSocketConnection.Settings(CaBundle.sslContext(null), null, 5000, 1 << 20),
                u -> u, () -> AwsSessionCredentials.create("AKID", "SECRET", "TOKEN"), "eu-west-1", true,
                new UpgradeSigner(Clock.systemUTC()), new SsmApi(ssm.client), UUID.randomUUID(), "1.2.764.0",
                Duration.ofSeconds(20), Duration.ofMinutes(5), scheduler, io, System::nanoTime);
        ChannelSession channel = ChannelSession.create(ctx, new SessionToken(sessionId, token, URI.create(streamUrl(sessionId))),
                null, null, config);
        channel.connect();
        assertThat(server.texts.poll(10, TimeUnit.SECONDS)).as("OpenDataChannel").contains(token);
        return channel;
    }

    /** An agent's Output message (a handshake-less shell is known from its first one, SPEC §4.1). */
    static byte[] output(long sequence, String text) {
        return CODEC.encode(new ClientMessage(MessageType.OUTPUT_STREAM_DATA.wire(), 1, System.currentTimeMillis(),
                sequence, sequence == 0 ? ClientMessage.FLAG_SYN : 0, UUID.randomUUID(), PayloadType.OUTPUT.wire(),
                text.getBytes(StandardCharsets.UTF_8)));
    }

    /** The agent's acknowledge of the client's message {@code sequence} (SPEC §3.3; the JSON written out by hand). */
    static byte[] ack(long sequence) {
        String json = "{\"AcknowledgedMessageType\":\"input_stream_data\",\"AcknowledgedMessageId\":\"" + UUID.randomUUID()
                + "\",\"AcknowledgedMessageSequenceNumber\":" + sequence + ",\"IsSequentialMessage\":true}";
        return CODEC.encode(new ClientMessage(MessageType.ACKNOWLEDGE.wire(), 1, System.currentTimeMillis(), 0,
                ClientMessage.FLAG_SYN | ClientMessage.FLAG_FIN, UUID.randomUUID(), PayloadType.NONE.wire(),
                json.getBytes(StandardCharsets.UTF_8)));
    }

    /** An input_stream_data frame as the agent sees it, read from the header bytes (SPEC §2.1 offsets). */
    record Input(long sequence, long payloadType, int payloadLength) {
        static Input parse(byte[] frame) {
            String type = new String(frame, 4, 32, StandardCharsets.US_ASCII).replace('\0', ' ').trim();
            if (!type.equals("input_stream_data")) {
                return null;
            }
            ByteBuffer b = ByteBuffer.wrap(frame);
            return new Input(b.getLong(48), Integer.toUnsignedLong(b.getInt(112)), b.getInt(116));
        }
    }

    /** What the agent side received, per connection; waiters are woken on every frame. */
    static final class Received {
        private final Map<WebSocket, List<Input>> byConnection = new java.util.LinkedHashMap<>();

        synchronized void add(WebSocket conn, Input in) {
            byConnection.computeIfAbsent(conn, c -> new java.util.ArrayList<>()).add(in);
            notifyAll();
        }

        /**
         * Waits up to 10 s until {@code done} holds for the inputs on the {@code n}th connection (from 0);
         * returns them.
         */
        synchronized List<Input> await(int n, java.util.function.Predicate<List<Input>> done) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (true) {
                List<List<Input>> all = new java.util.ArrayList<>(byConnection.values());
                if (all.size() > n && done.test(all.get(n))) {
                    return List.copyOf(all.get(n));
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("connection " + n + " did not receive what was expected within 10 s; got "
                            + (all.size() > n ? all.get(n) : "nothing"));
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
        }
    }

    static Set<Long> sequences(List<Input> inputs) {
        Set<Long> s = new java.util.TreeSet<>();
        inputs.forEach(in -> s.add(in.sequence()));
        return s;
    }

    @Override
    public void close() throws Exception {
        scheduler.shutdownNow();
        io.shutdownNow();
        ssm.close();
        server.stop(1000);
    }
}
