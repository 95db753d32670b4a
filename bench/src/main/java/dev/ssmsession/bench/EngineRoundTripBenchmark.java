package dev.ssmsession.bench;

import dev.ssmsession.protocol.channel.ChannelClock;
import dev.ssmsession.protocol.channel.ChannelRole;
import dev.ssmsession.protocol.channel.DataChannel;
import dev.ssmsession.protocol.channel.DataChannelConfig;
import dev.ssmsession.protocol.channel.DataChannelListener;
import dev.ssmsession.protocol.channel.Delivery;
import dev.ssmsession.protocol.crypto.PayloadDecryptionException;
import dev.ssmsession.protocol.message.PayloadType;
import dev.ssmsession.protocol.payload.ChannelClosed;
import java.util.ArrayDeque;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Full data-message cycles per second between a CLIENT and an AGENT engine in memory, unpaced: one
 * op = the client frames a chunk, the agent decodes, delivers and acks it, the client decodes the ack
 * and frees the window (four codec passes, two SHA-256 digests each way, ack JSON both ways).
 * MessageIds come from a counter, not {@code UUID.randomUUID()}, so the figure is the engine's own
 * cost rather than SecureRandom's.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class EngineRoundTripBenchmark {

    @Param({"1024"})
    public int chunkSize;

    private final ArrayDeque<byte[]> toAgent = new ArrayDeque<>();
    private final ArrayDeque<byte[]> toClient = new ArrayDeque<>();
    private DataChannel client;
    private DataChannel agent;
    private byte[] chunk;
    private long deliveredBytes;

    @Setup
    public void setUp() {
        DataChannelConfig config = DataChannelConfig.builder().messagesPerSecond(0).chunkSize(chunkSize).build();
        ChannelClock clock = new ChannelClock() {
            @Override
            public long nanoTime() {
                return System.nanoTime();
            }

            @Override
            public long epochMillis() {
                return System.currentTimeMillis();
            }
        };
        client = DataChannel.create(config, ChannelRole.CLIENT, clock, ids(1), new Endpoint(toAgent));
        agent = DataChannel.create(config, ChannelRole.AGENT, clock, ids(2), new Endpoint(toClient));
        chunk = new byte[chunkSize];
        new Random(1).nextBytes(chunk);
    }

    @Benchmark
    public long sendAndAck() {
        if (client.offerOutput(chunk, 0, chunk.length) != chunk.length) {
            throw new IllegalStateException("window full: acks are not coming back " + client);
        }
        for (byte[] f; (f = toAgent.poll()) != null; ) {
            agent.onFrame(f);
        }
        for (byte[] f; (f = toClient.poll()) != null; ) {
            client.onFrame(f);
        }
        return deliveredBytes;
    }

    private static Supplier<UUID> ids(long prefix) {
        long[] next = {0};
        return () -> new UUID(prefix << 32 | 0x4000L, 0x8000_0000_0000_0000L | ++next[0]);
    }

    private final class Endpoint implements DataChannelListener {
        private final ArrayDeque<byte[]> out;

        Endpoint(ArrayDeque<byte[]> out) {
            this.out = out;
        }

        @Override
        public void writeFrame(byte[] frame) {
            out.add(frame);
        }

        @Override
        public Delivery onPayload(PayloadType type, long rawType, byte[] payload) {
            deliveredBytes += payload.length;
            return Delivery.ACCEPTED;
        }

        @Override
        public void onChannelClosed(ChannelClosed closed) {
            throw new IllegalStateException("closed");
        }

        @Override
        public void onGiveUp(String reason) {
            throw new IllegalStateException(reason);
        }

        @Override
        public void onDecryptionFailure(PayloadType type, long sequenceNumber, PayloadDecryptionException cause) {
            throw new IllegalStateException(cause);
        }
    }
}
