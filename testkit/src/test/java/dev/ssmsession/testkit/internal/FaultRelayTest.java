package dev.ssmsession.testkit.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ssmsession.protocol.message.ClientMessage;
import dev.ssmsession.protocol.message.ClientMessageCodec;
import dev.ssmsession.protocol.message.MalformedMessageException;
import dev.ssmsession.testkit.FaultPlan;
import dev.ssmsession.testkit.FrameDirection;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import org.java_websocket.WebSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Fault injection is seeded: the same seed and input give the same faults. */
@Tag("pure")
class FaultRelayTest {
    final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    final AtomicInteger cuts = new AtomicInteger();
    final java.util.concurrent.CountDownLatch fourCuts = new java.util.concurrent.CountDownLatch(4);
    final FaultRelay.Target target = new FaultRelay.Target() {
        @Override
        public String id() {
            return "s-1";
        }

        @Override
        public ScheduledExecutorService scheduler() {
            return scheduler;
        }

        @Override
        public WebSocket connection() {
            return null;
        }

        @Override
        public void cut() {
            cuts.incrementAndGet();
            fourCuts.countDown();
        }
    };

    @AfterEach
    void stop() {
        scheduler.shutdownNow();
    }

    private static List<byte[]> frames() {
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            out.add(ClientMessageCodec.create().encode(new ClientMessage("output_stream_data", 1, 1_700_000_000_000L, i, 0,
                    new UUID(0, i), 1, new byte[] {(byte) i})));
        }
        return out;
    }

    private List<String> run(FaultPlan plan, long seed) {
        FaultRelay relay = new FaultRelay(plan, target, seed);
        List<String> out = new ArrayList<>();
        for (byte[] f : frames()) {
            relay.forward(FrameDirection.AGENT_TO_CLIENT, f, b -> {
                try {
                    out.add(Long.toString(ClientMessageCodec.create().decode(b).sequenceNumber()));
                } catch (MalformedMessageException e) {
                    out.add("corrupt");
                }
            });
        }
        return out;
    }

    @Test
    void sameSeedSameFaultsOtherSeedOtherFaults() {
        FaultPlan plan = FaultPlan.builder().drop(0.1).duplicate(0.1).corruptDigest(0.1).build();
        List<String> a = run(plan, 7);
        assertThat(run(plan, 7)).isEqualTo(a);
        assertThat(run(plan, 8)).isNotEqualTo(a);
        assertThat(a).contains("corrupt");
        assertThat(a.size()).isNotEqualTo(200);
        long distinct = a.stream().filter(s -> !s.equals("corrupt")).distinct().count();
        assertThat(distinct).as("some frames dropped").isLessThan(200);
        assertThat(a.stream().filter(s -> !s.equals("corrupt")).count()).as("some duplicated").isGreaterThan(distinct);
    }

    @Test
    void faultsOnlyInTheChosenDirectionAndCutsAfterNFrames() throws Exception {
        FaultPlan plan = FaultPlan.builder().drop(1).directions(FaultPlan.Directions.CLIENT_TO_AGENT).cutAfterFrames(50).build();
        List<String> out = run(plan, 1);
        assertThat(out).hasSize(200).doesNotContain("corrupt");
        // cut() runs on the scheduler; wait for the four cuts (after frames 50, 100, 150, 200).
        assertThat(fourCuts.await(5, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        assertThat(cuts.get()).isEqualTo(4);
    }

    @Test
    void corruptionFlipsExactlyOneDigestBit() {
        FaultPlan plan = FaultPlan.builder().corruptDigest(1).build();
        FaultRelay relay = new FaultRelay(plan, target, 3);
        byte[] original = frames().get(0);
        List<byte[]> out = new ArrayList<>();
        relay.forward(FrameDirection.AGENT_TO_CLIENT, original, out::add);
        byte[] got = out.get(0);
        int differing = 0;
        for (int i = 0; i < original.length; i++) {
            int x = (original[i] ^ got[i]) & 0xFF;
            if (x != 0) {
                assertThat(i).isBetween(ClientMessageCodec.PAYLOAD_DIGEST_OFFSET, ClientMessageCodec.PAYLOAD_DIGEST_OFFSET + 31);
                differing += Integer.bitCount(x);
            }
        }
        assertThat(differing).isEqualTo(1);
        assertThat(HexFormat.of().formatHex(original, 120, original.length)).isEqualTo(HexFormat.of().formatHex(got, 120, got.length));
    }
}
