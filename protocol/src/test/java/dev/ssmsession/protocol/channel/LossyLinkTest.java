package dev.ssmsession.protocol.channel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ssmsession.protocol.crypto.PayloadDecryptionException;
import dev.ssmsession.protocol.message.PayloadType;
import dev.ssmsession.protocol.payload.ChannelClosed;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.PriorityQueue;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A CLIENT and an AGENT engine back to back through an in-memory link that drops, duplicates and
 * reorders frames (every frame, acks included), with a transport outage in the middle and a receiver
 * that is sometimes not ready. Runs on virtual time from a seed: every byte must arrive exactly once
 * and in order, and control messages exactly at their place in the stream.
 */
@Tag("pure")
class LossyLinkTest {

    private static final int STREAM_BYTES = 4 * 1024 * 1024;
    private static final int FLAG_EVERY = 256 * 1024;
    private static final long MS = 1_000_000L;

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 42, 20261128, 0xC0FFEE})
    void everyByteArrivesExactlyOnceAndInOrderBothWays(long seed) {
        Simulation sim = new Simulation(seed, DataChannelConfig.builder().build());
        sim.run(Duration.ofSeconds(300));

        for (Peer p : List.of(sim.client, sim.agent)) {
            Peer other = p == sim.client ? sim.agent : sim.client;
            assertThat(p.received.size()).as("%s received", p.role).isEqualTo(STREAM_BYTES);
            assertThat(p.received.toByteArray()).as("%s stream", p.role).isEqualTo(other.data);
            assertThat(p.controlAt).as("%s control messages at their stream offsets", p.role).isEqualTo(other.controlSentAt);
            assertThat(p.failures).isEmpty();
            DataChannelStats s = p.channel.stats();
            assertThat(s.unacked()).isZero();
            assertThat(s.reorderBuffered()).isZero();
        }
        // The link really was hostile.
        assertThat(sim.outageDone).as("the outage happened mid-transfer").isTrue();
        assertThat(sim.link.dropped).isGreaterThan(100);
        assertThat(sim.link.duplicated).isGreaterThan(100);
        assertThat(sim.client.channel.stats().messagesResent()).isPositive();
        assertThat(sim.agent.channel.stats().messagesResent()).isPositive();
        assertThat(sim.client.channel.stats().duplicatesReceived()).isPositive();
        assertThat(sim.client.notReadyAnswers + sim.agent.notReadyAnswers).isPositive();
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {7, 99})
    void unpacedWithSmallWindowAndReorderBufferStillDeliversEverything(long seed) {
        Simulation sim = new Simulation(seed, DataChannelConfig.builder()
                .messagesPerSecond(0).maxUnacked(64).reorderCapacity(16).maxPendingBytes(4096).build());
        sim.run(Duration.ofSeconds(600));

        assertThat(sim.agent.received.toByteArray()).isEqualTo(sim.client.data);
        assertThat(sim.client.received.toByteArray()).isEqualTo(sim.agent.data);
        assertThat(sim.client.channel.stats().reorderDropped() + sim.agent.channel.stats().reorderDropped()).isPositive();
        assertThat(sim.client.writableCalls + sim.agent.writableCalls).isPositive();
    }

    /** Both engines, the link and the clock. */
    static final class Simulation {
        final ManualClock clock = new ManualClock();
        final Random random;
        final Link link;
        final Peer client;
        final Peer agent;
        final long outageStart;
        final long outageEnd;
        boolean outageDone;

        Simulation(long seed, DataChannelConfig config) {
            random = new Random(seed);
            link = new Link(random, clock);
            client = new Peer(ChannelRole.CLIENT, config, this, new Random(seed * 31 + 1));
            agent = new Peer(ChannelRole.AGENT, config, this, new Random(seed * 31 + 2));
            client.peer = agent;
            agent.peer = client;
            outageStart = clock.nanoTime() + 3000 * MS;
            outageEnd = outageStart + 2000 * MS;
        }

        void run(Duration limit) {
            long start = clock.nanoTime();
            boolean down = false;
            int idle = 0;
            while (!done()) {
                long now = clock.nanoTime();
                assertThat(now - start).as("virtual time used").isLessThan(limit.toNanos());
                if (!down && !outageDone && now - outageStart >= 0) {
                    down = true;
                    link.up = false;
                    link.inFlight.clear();
                    client.channel.transportDown();
                    agent.channel.transportDown();
                } else if (down && now - outageEnd >= 0) {
                    down = false;
                    outageDone = true;
                    link.up = true;
                    client.channel.transportUp();
                    agent.channel.transportUp();
                }
                int before = link.sent;
                link.deliverDue();
                for (Peer p : List.of(client, agent)) {
                    p.channel.retryDelivery();
                    p.channel.tick();
                    p.produce();
                }
                if (done()) {
                    break;
                }
                long next = earliest(now, link.nextTime(), client.channel.nextDeadlineNanos(), agent.channel.nextDeadlineNanos());
                if (!outageDone) {
                    next = Math.min(next, down ? outageEnd : outageStart);
                }
                if (next - now > 0) {
                    clock.advanceTo(next);
                    idle = 0;
                } else if (link.sent == before && ++idle > 1000) {
                    throw new AssertionError("an engine keeps reporting a due deadline without doing anything: " + client.channel + " " + agent.channel);
                }
            }
        }

        private long earliest(long now, OptionalLong... times) {
            long best = Long.MAX_VALUE;
            for (OptionalLong t : times) {
                if (t.isPresent()) {
                    best = Math.min(best, t.getAsLong());
                }
            }
            if (best == Long.MAX_VALUE) {
                throw new AssertionError("nothing scheduled and not done: " + client + " " + agent);
            }
            return best;
        }

        boolean done() {
            return client.finished() && agent.finished();
        }
    }

    /** One engine, its producer (random data, a Flag every 256 KiB) and its consumer. */
    static final class Peer implements DataChannelListener {
        final ChannelRole role;
        final DataChannel channel;
        final Simulation sim;
        final Random random;
        final byte[] data = new byte[STREAM_BYTES];
        final ByteArrayOutputStream received = new ByteArrayOutputStream();
        final List<Long> controlSentAt = new ArrayList<>();
        final List<Long> controlAt = new ArrayList<>();
        final List<String> failures = new ArrayList<>();
        Peer peer;
        int offset;
        int notReadyAnswers;
        int writableCalls;

        Peer(ChannelRole role, DataChannelConfig config, Simulation sim, Random random) {
            this.role = role;
            this.sim = sim;
            this.random = random;
            random.nextBytes(data);
            channel = DataChannel.create(config, role, sim.clock, new SequentialIds(role.ordinal() + 7), this);
        }

        void produce() {
            while (offset < data.length) {
                if (offset % FLAG_EVERY == 0 && controlSentAt.size() == offset / FLAG_EVERY) {
                    controlSentAt.add((long) offset);
                    channel.sendMessage(PayloadType.FLAG, ByteBuffer.allocate(4).putInt(controlSentAt.size()).array());
                }
                int want = Math.min(data.length - offset, Math.min(FLAG_EVERY - offset % FLAG_EVERY, 1 + random.nextInt(8192)));
                int n = channel.offerOutput(data, offset, want);
                if (n == 0) {
                    return;
                }
                offset += n;
            }
        }

        boolean finished() {
            DataChannelStats s = channel.stats();
            return offset == data.length && s.unacked() == 0 && s.pendingBytes() == 0 && s.pendingMessages() == 0
                    && received.size() == STREAM_BYTES;
        }

        @Override
        public String toString() {
            return channel + " offset=" + offset + " received=" + received.size() + " " + channel.stats();
        }

        @Override
        public void writeFrame(byte[] frame) {
            sim.link.send(frame, peer);
        }

        @Override
        public Delivery onPayload(PayloadType type, long rawType, byte[] payload) {
            if (random.nextInt(100) < 2) {
                notReadyAnswers++;
                return Delivery.NOT_READY;
            }
            if (type == PayloadType.OUTPUT) {
                received.writeBytes(payload);
            } else {
                controlAt.add((long) received.size());
            }
            return Delivery.ACCEPTED;
        }

        @Override
        public void onChannelClosed(ChannelClosed closed) {
            failures.add("closed");
        }

        @Override
        public void onGiveUp(String reason) {
            failures.add(reason);
        }

        @Override
        public void onDecryptionFailure(PayloadType type, long sequenceNumber, PayloadDecryptionException cause) {
            failures.add(cause.getMessage());
        }

        @Override
        public void onWritable() {
            writableCalls++;
        }
    }

    /** Frames in flight with a random delay (so they reorder); some dropped, some duplicated. */
    static final class Link {
        record InFlight(long at, long order, byte[] frame, Peer to) {
        }

        final Random random;
        final ManualClock clock;
        final PriorityQueue<InFlight> inFlight = new PriorityQueue<>((a, b) -> a.at != b.at ? Long.compare(a.at, b.at) : Long.compare(a.order, b.order));
        boolean up = true;
        long order;
        int sent;
        int dropped;
        int duplicated;

        Link(Random random, ManualClock clock) {
            this.random = random;
            this.clock = clock;
        }

        void send(byte[] frame, Peer to) {
            if (!up) {
                throw new AssertionError(to.peer.role + " wrote a frame while its transport was down");
            }
            sent++;
            if (random.nextInt(100) < 5) {
                dropped++;
                return;
            }
            int copies = random.nextInt(100) < 3 ? 2 : 1;
            duplicated += copies - 1;
            for (int i = 0; i < copies; i++) {
                inFlight.add(new InFlight(clock.nanoTime() + (10 + random.nextInt(50)) * MS + random.nextInt(1000), order++, frame, to));
            }
        }

        void deliverDue() {
            while (!inFlight.isEmpty() && inFlight.peek().at - clock.nanoTime() <= 0) {
                InFlight f = inFlight.poll();
                f.to.channel.onFrame(f.frame);
            }
        }

        OptionalLong nextTime() {
            return inFlight.isEmpty() ? OptionalLong.empty() : OptionalLong.of(inFlight.peek().at);
        }
    }
}
