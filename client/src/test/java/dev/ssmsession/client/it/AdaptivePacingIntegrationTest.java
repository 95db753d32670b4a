package dev.ssmsession.client.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ssmsession.client.PortForward;
import dev.ssmsession.client.SessionManager;
import dev.ssmsession.protocol.channel.DataChannelConfig;
import dev.ssmsession.protocol.channel.DataChannelStats;
import dev.ssmsession.testkit.LocalSessionManager;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Adaptive pacing through the real client and the testkit, against fixed pacing in the same test run:
 * upload rates are compared as ratios (the machine is shared and noisy), and every upload is checked by
 * its SHA-256 at the far end. With the service's cap the testkit queues what exceeds it, so a sender
 * above the cap sees its acks' round trip grow: the adaptive pacer must find that and stay at the cap
 * without retransmitting more than the fixed one; without a cap it must leave the fixed rate far behind.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class AdaptivePacingIntegrationTest {
    private static final DataChannelConfig FIXED = DataChannelConfig.builder()
            .pacing(DataChannelConfig.Pacing.FIXED).build();
    private static final DataChannelConfig ADAPTIVE = DataChannelConfig.builder()
            .pacing(DataChannelConfig.Pacing.ADAPTIVE).build();

    private static LocalSessionManager capped;  // the service's 1000 messages/s, queueing what exceeds it
    private static LocalSessionManager uncapped;
    private static HashSink sink;

    @BeforeAll
    static void start() throws Exception {
        capped = LocalSessionManager.builder().build().start();
        uncapped = LocalSessionManager.builder().noRateLimit().build().start();
        sink = new HashSink();
    }

    @AfterAll
    static void stop() throws Exception {
        sink.close();
        capped.close();
        uncapped.close();
    }

    /** One upload through a fresh session: bytes per second and what the channel counted. */
    record Upload(double bytesPerSecond, DataChannelStats stats) {
        double mbps() {
            return bytesPerSecond / 1e6;
        }
    }

    private static Upload upload(LocalSessionManager local, DataChannelConfig config, int size) throws Exception {
        byte[] data = Transfers.random(size, size);
        try (SessionManager manager = Testkit.managerFor(local).dataChannelConfig(config).build();
             PortForward fwd = manager.forwardPort(local.defaultTarget(), null, sink.port(), PortForward.Options.defaults())) {
            fwd.session().awaitInfo(Duration.ofSeconds(20));
            InetSocketAddress at = fwd.localAddress();
            try (Socket s = new Socket(at.getAddress(), at.getPort())) {
                DataOutputStream out = new DataOutputStream(s.getOutputStream());
                DataInputStream in = new DataInputStream(s.getInputStream());
                long t0 = System.nanoTime();
                out.writeLong(size);
                out.write(data);
                out.flush();
                byte[] digest = new byte[32];
                in.readFully(digest);
                long took = System.nanoTime() - t0;
                assertThat(digest).as("SHA-256 at the far end").isEqualTo(
                        java.util.HexFormat.of().parseHex(Transfers.sha256(data)));
                return new Upload(size * 1e9 / took, fwd.session().channelStats());
            }
        }
    }

    @Test
    void withTheServiceCapAdaptiveUploadsAtLeastAsFastAsFixedWithoutMoreRetransmissions() throws Exception {
        int size = 2 * 1024 * 1024;
        upload(capped, FIXED, 256 * 1024); // warm-up: JIT, first connections
        Upload fixed = upload(capped, FIXED, size);
        Upload adaptive = upload(capped, ADAPTIVE, size);
        System.out.printf("cap on: fixed %.3f MB/s (%d resent), adaptive %.3f MB/s (%d resent, pacing %d/s, fell back %s)%n",
                fixed.mbps(), fixed.stats().messagesResent(), adaptive.mbps(), adaptive.stats().messagesResent(),
                adaptive.stats().pacingRate(), adaptive.stats().pacingFellBack());

        // What adaptive gains here (950 -> ~1000 messages/s, 5%) is within this shared machine's noise: under a
        // parallel build both rows lose 15% and spurious resends come in dozens. So the test holds adaptive to
        // "not worse" (the bench and the virtual-time tests measure the gain and the retransmissions closely).
        assertThat(adaptive.bytesPerSecond() / fixed.bytesPerSecond()).as("adaptive / fixed upload, cap on").isGreaterThan(0.9);
        assertThat(adaptive.stats().messagesResent()).as("retransmissions, adaptive vs fixed")
                .isLessThanOrEqualTo(2 * fixed.stats().messagesResent() + 5);
        assertThat(fixed.stats().pacingRate()).isEqualTo(950);
    }

    @Test
    void withoutACapAdaptiveLeavesTheFixedRateFarBehind() throws Exception {
        upload(uncapped, ADAPTIVE, 1024 * 1024); // warm-up
        Upload fixed = upload(uncapped, FIXED, 2 * 1024 * 1024);
        // Big enough that the climb (about 2 s to 10 000 messages/s here) is not the whole transfer.
        Upload adaptive = upload(uncapped, ADAPTIVE, 32 * 1024 * 1024);
        System.out.printf("cap off: fixed %.3f MB/s, adaptive %.3f MB/s (pacing %d/s, %d resent, fell back %s)%n",
                fixed.mbps(), adaptive.mbps(), adaptive.stats().pacingRate(), adaptive.stats().messagesResent(),
                adaptive.stats().pacingFellBack());

        assertThat(fixed.mbps()).as("fixed, no cap").isLessThan(1.0);
        assertThat(adaptive.bytesPerSecond() / fixed.bytesPerSecond()).as("adaptive / fixed upload, cap off").isGreaterThan(4.0);
        assertThat(adaptive.stats().pacingFellBack()).isFalse();
        assertThat(adaptive.stats().pacingRate()).isGreaterThan(950);
    }
}
