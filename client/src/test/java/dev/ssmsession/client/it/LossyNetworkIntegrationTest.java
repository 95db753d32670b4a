package dev.ssmsession.client.it;

import dev.ssmsession.client.CommandResult;
import dev.ssmsession.client.PortForward;
import dev.ssmsession.client.SessionManager;
import dev.ssmsession.protocol.channel.DataChannelConfig;
import dev.ssmsession.testkit.FaultPlan;
import dev.ssmsession.testkit.LocalSessionManager;
import dev.ssmsession.testkit.LocalSessionManagerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The relay drops, duplicates, reorders and corrupts frames (seeded); every byte still arrives once, in order. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LossyNetworkIntegrationTest {
    @RegisterExtension
    static final LocalSessionManagerExtension LOCAL = new LocalSessionManagerExtension(
            LocalSessionManager.builder().seed(20261128L)
                    .faults(FaultPlan.builder().drop(0.03).duplicate(0.02).reorder(0.03).corruptDigest(0.01).build()));

    @Test
    void forwardedBytesSurviveALossyRelay() throws Exception {
        try (SessionManager manager = Testkit.managerFor(LOCAL.get())
                .dataChannelConfig(DataChannelConfig.builder().messagesPerSecond(0).build()).build();
             EchoServer echo = new EchoServer();
             PortForward fwd = manager.forwardPort(LOCAL.get().defaultTarget(), null, echo.port(), PortForward.Options.defaults())) {
            List<CompletableFuture<Void>> all = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                long seed = 500 + i;
                all.add(CompletableFuture.runAsync(() -> {
                    try (Socket s = new Socket(fwd.localAddress().getAddress(), fwd.localAddress().getPort())) {
                        Transfers.assertEchoes(s, 128 * 1024, seed);
                    } catch (Exception e) {
                        throw new AssertionError(e);
                    }
                }));
            }
            CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(100, TimeUnit.SECONDS);
        }
    }

    @Test
    void commandOutputAndExitCodeSurviveALossyRelay() {
        try (SessionManager manager = Testkit.managerFor(LOCAL.get()).build()) {
            CommandResult r = manager.run(LOCAL.get().defaultTarget(), "seq 1 20000; exit 7", Duration.ofSeconds(100));
            String[] lines = r.stdoutText().replace("\r", "").trim().split("\n");
            assertThat(lines).hasSize(20000);
            for (int i = 0; i < lines.length; i++) {
                assertThat(lines[i]).isEqualTo(Integer.toString(i + 1));
            }
            assertThat(r.exitCode()).hasValue(7);
        }
    }
}
