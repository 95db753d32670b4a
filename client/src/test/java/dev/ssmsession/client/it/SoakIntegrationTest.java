package dev.ssmsession.client.it;

import dev.ssmsession.client.PortForward;
import dev.ssmsession.client.SessionManager;
import dev.ssmsession.protocol.channel.DataChannelConfig;
import dev.ssmsession.testkit.FaultPlan;
import dev.ssmsession.testkit.LocalSessionManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The long run, off by default: {@code -Dsoak.mib=1024} echoes that many MiB in all through one smux forward
 * (4 connections, full duplex, streamed and SHA-256-checked on both ends, never held in memory) while the relay
 * duplicates, reorders and delays frames. README "Guarantees" has the command.
 */
@EnabledIfSystemProperty(named = "soak.mib", matches = "[0-9]+")
@Timeout(value = 3, unit = TimeUnit.HOURS)
class SoakIntegrationTest {
    private static final int CONNECTIONS = 4;

    @Test
    void echoesGibibytesThroughAFaultyRelayIntact() throws Exception {
        long perConnection = Long.getLong("soak.mib") * 1024 * 1024 / CONNECTIONS;
        ExecutorService pool = Executors.newCachedThreadPool();
        try (LocalSessionManager local = LocalSessionManager.builder().noRateLimit().seed(Long.getLong("soak.seed", 9))
                .faults(FaultPlan.builder().duplicate(0.01).reorder(0.01).delay(0.01, Duration.ofMillis(20)).build())
                .build().start();
             SessionManager manager = Testkit.managerFor(local)
                     .dataChannelConfig(DataChannelConfig.builder().messagesPerSecond(0).build()).build();
             EchoServer echo = new EchoServer();
             PortForward fwd = manager.forwardPort(local.defaultTarget(), null, echo.port(), PortForward.Options.defaults())) {
            fwd.session().awaitInfo(Duration.ofSeconds(30));
            InetSocketAddress at = fwd.localAddress();
            long start = System.nanoTime();
            List<Future<?>> all = new ArrayList<>();
            for (int i = 0; i < CONNECTIONS; i++) {
                long seed = i;
                all.add(pool.submit(() -> {
                    try (Socket s = new Socket(at.getAddress(), at.getPort())) {
                        Future<String> sent = pool.submit(() -> write(s.getOutputStream(), perConnection, seed));
                        String received = read(s.getInputStream(), perConnection);
                        assertThat(received).as("SHA-256 of connection %d's echo", seed).isEqualTo(sent.get());
                    }
                    return null;
                }));
            }
            for (Future<?> f : all) {
                f.get();
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("soak: %d MiB echoed in %.1f s (%.1f MB/s each way)%n", Long.getLong("soak.mib"), seconds,
                    perConnection * CONNECTIONS / seconds / 1e6);
        } finally {
            pool.shutdownNow();
        }
    }

    private static String write(OutputStream out, long total, long seed) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        Random random = new Random(seed);
        byte[] chunk = new byte[64 * 1024];
        for (long left = total; left > 0; ) {
            random.nextBytes(chunk);
            int n = (int) Math.min(chunk.length, left);
            sha.update(chunk, 0, n);
            out.write(chunk, 0, n);
            left -= n;
        }
        out.flush();
        return HexFormat.of().formatHex(sha.digest());
    }

    private static String read(InputStream in, long total) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        byte[] buf = new byte[64 * 1024];
        long left = total;
        while (left > 0) {
            int n = in.read(buf, 0, (int) Math.min(buf.length, left));
            if (n < 0) {
                throw new AssertionError("the echo ended " + left + " bytes short");
            }
            sha.update(buf, 0, n);
            left -= n;
        }
        return HexFormat.of().formatHex(sha.digest());
    }
}
