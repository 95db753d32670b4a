package dev.ssmsession.bench;

import dev.ssmsession.protocol.message.ClientMessage;
import dev.ssmsession.protocol.message.ClientMessageCodec;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
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
 * Messages per second through the ClientMessage codec, for a full 1024-byte chunk (SPEC §6.6) and a
 * small keystroke-sized payload. Both directions include the SHA-256 digest, which dominates.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class CodecBenchmark {

    @Param({"1024", "16"})
    public int payloadSize;

    private final ClientMessageCodec codec = ClientMessageCodec.create();
    private ClientMessage message;
    private byte[] frame;

    @Setup
    public void setUp() {
        byte[] payload = new byte[payloadSize];
        new Random(1).nextBytes(payload);
        message = new ClientMessage("input_stream_data", 1, 1_764_000_000_000L, 42, 0,
                UUID.fromString("00112233-4455-4677-8899-aabbccddeeff"), 1, payload);
        frame = codec.encode(message);
    }

    @Benchmark
    public byte[] encode() {
        return codec.encode(message);
    }

    @Benchmark
    public ClientMessage decode() {
        return codec.decode(frame);
    }
}
