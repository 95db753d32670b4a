package dev.ssmsession.client.internal;

import dev.ssmsession.client.SessionToken;
import dev.ssmsession.protocol.channel.DataChannelConfig;
import dev.ssmsession.protocol.message.ClientMessage;
import dev.ssmsession.protocol.message.ClientMessageCodec;
import dev.ssmsession.protocol.message.MessageType;
import dev.ssmsession.protocol.message.PayloadType;
import dev.ssmsession.protocol.payload.TerminalSize;
import org.java_websocket.WebSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;

import java.io.OutputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * After a reconnect every message the agent had not acknowledged goes out again exactly once: a second resend
 * pass would double the burst (and, paced, the time until new input gets through).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ReconnectResendTest {
    private static final ClientMessageCodec CODEC = ClientMessageCodec.create();
    private LoopbackWebSocketServer server;
    private FakeSsm ssm;
    private ScheduledExecutorService scheduler;
    private ExecutorService io;

    @BeforeEach
    void start() throws Exception {
        server = new LoopbackWebSocketServer().startAndWait();
        ssm = new FakeSsm();
        scheduler = Executors.newScheduledThreadPool(1, ManagerThreads.scheduler("test-scheduler-"));
        io = Executors.newCachedThreadPool();
    }

    @AfterEach
    void stop() throws Exception {
        scheduler.shutdownNow();
        io.shutdownNow();
        ssm.close();
        server.stop(1000);
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
    private static final class Received {
        private final Map<WebSocket, List<Input>> byConnection = new java.util.LinkedHashMap<>();

        synchronized void add(WebSocket conn, Input in) {
            byConnection.computeIfAbsent(conn, c -> new java.util.ArrayList<>()).add(in);
            notifyAll();
        }

        /** Waits until {@code done} holds for the inputs on the {@code n}th connection (from 0); returns them. */
        synchronized List<Input> await(int n, java.util.function.Predicate<List<Input>> done) throws InterruptedException {
            while (true) {
                List<List<Input>> all = new java.util.ArrayList<>(byConnection.values());
                if (all.size() > n && done.test(all.get(n))) {
                    return List.copyOf(all.get(n));
                }
                wait();
            }
        }
    }

    private static Set<Long> sequences(List<Input> inputs) {
        Set<Long> s = new java.util.TreeSet<>();
        inputs.forEach(in -> s.add(in.sequence()));
        return s;
    }

    @Test
    void unackedMessagesAreResentOnceAfterAReconnect() throws Exception {
        ssm.reply("ResumeSession", 200, "{\"SessionId\":\"s-1\",\"TokenValue\":\"TOKEN-B\","
                + "\"StreamUrl\":\"" + server.url("/v1/data-channel/s-1?role=publish_subscribe") + "\"}");
        Received received = new Received();
        WebSocket[] first = new WebSocket[1];
        server.onBinary = (conn, frame) -> {
            Input in = Input.parse(frame);
            if (in != null) {
                received.add(conn, in);
                if (conn != first[0]) {
                    conn.send(ack(in.sequence()));  // the new connection acks at once: no resend timer fires there
                }
            }
        };
        // Unpaced: a whole resend pass goes out in one flush, before any ack can stop a second one.
        ChannelSession channel = connect(DataChannelConfig.builder().messagesPerSecond(0).chunkSize(1024).build());
        first[0] = server.opened.take();
        ShellHandler shell = new ShellHandler(channel, ShellHandler.Kind.SHELL, new TerminalSize(80, 24));
        channel.install(shell, info -> { });
        first[0].send(output(0, "$ "));  // a handshake-less shell (SPEC §4.1): known from its first output
        channel.info().get(10, TimeUnit.SECONDS);

        OutputStream stdin = shell.stdin(() -> { });
        stdin.write(new byte[5000]);  // Size + five Output messages, never acknowledged on the first connection
        Set<Long> unacked = sequences(received.await(0, ins -> ins.stream()
                .filter(in -> in.payloadType() == PayloadType.OUTPUT.wire())
                .mapToInt(Input::payloadLength).sum() >= 5000));
        assertThat(unacked).hasSizeGreaterThanOrEqualTo(6);

        first[0].closeConnection(1006, "cut");
        assertThat(server.texts.poll(10, TimeUnit.SECONDS)).as("OpenDataChannel after ResumeSession").contains("TOKEN-B");
        received.await(1, ins -> sequences(ins).containsAll(unacked));
        stdin.write('!');  // a new message, queued behind the resend pass: once it is here, so is all of the pass
        long marker = unacked.size();
        List<Input> second = received.await(1, ins -> sequences(ins).contains(marker));

        assertThat(second.stream().map(Input::sequence).filter(q -> q < marker).toList())
                .as("each un-acked message once, in order").containsExactlyElementsOf(List.copyOf(unacked));
        channel.abandon();
    }

    private ChannelSession connect(DataChannelConfig config) throws Exception {
        TransportContext ctx = new TransportContext(
                new WebSocketConnection.Settings(CaBundle.sslContext(null), null, 5000, 1 << 20),
                u -> u, () -> AwsSessionCredentials.create("AKID", "SECRET", "TOKEN"), "eu-west-1", true,
                new UpgradeSigner(Clock.systemUTC()), new SsmApi(ssm.client), UUID.randomUUID(), "1.2.764.0",
                Duration.ofSeconds(20), Duration.ofMinutes(5), scheduler, io, System::nanoTime);
        SessionToken token = new SessionToken("s-1", "TOKEN-A",
                URI.create(server.url("/v1/data-channel/s-1?role=publish_subscribe")));
        ChannelSession channel = ChannelSession.create(ctx, token, null, null, config);
        channel.connect();
        assertThat(server.texts.poll(10, TimeUnit.SECONDS)).as("OpenDataChannel").contains("TOKEN-A");
        return channel;
    }

    private static byte[] output(long sequence, String text) {
        return CODEC.encode(new ClientMessage(MessageType.OUTPUT_STREAM_DATA.wire(), 1, System.currentTimeMillis(),
                sequence, sequence == 0 ? ClientMessage.FLAG_SYN : 0, UUID.randomUUID(), PayloadType.OUTPUT.wire(),
                text.getBytes(StandardCharsets.UTF_8)));
    }

    private static byte[] ack(long sequence) {
        String json = "{\"AcknowledgedMessageType\":\"input_stream_data\",\"AcknowledgedMessageId\":\"" + UUID.randomUUID()
                + "\",\"AcknowledgedMessageSequenceNumber\":" + sequence + ",\"IsSequentialMessage\":true}";
        return CODEC.encode(new ClientMessage(MessageType.ACKNOWLEDGE.wire(), 1, System.currentTimeMillis(), 0,
                ClientMessage.FLAG_SYN | ClientMessage.FLAG_FIN, UUID.randomUUID(), PayloadType.NONE.wire(),
                json.getBytes(StandardCharsets.UTF_8)));
    }
}
