package dev.ssmsession.client.it;

import dev.ssmsession.client.PortForward;
import dev.ssmsession.client.SessionInfo;
import dev.ssmsession.client.SessionManager;
import dev.ssmsession.protocol.channel.DataChannelConfig;
import dev.ssmsession.testkit.LocalSessionManager;
import dev.ssmsession.testkit.LocalSessionManagerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** An agent too old for smux (≤ 3.0.196.0): basic forwarding, one connection after another. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class BasicPortForwardIntegrationTest {
    @RegisterExtension
    static final LocalSessionManagerExtension LOCAL = new LocalSessionManagerExtension(
            LocalSessionManager.builder().agentVersion("3.0.196.0"));

    @Test
    void basicModeServesConcurrentClientsOneAfterAnother() throws Exception {
        try (SessionManager manager = Testkit.managerFor(LOCAL.get())
                .dataChannelConfig(DataChannelConfig.builder().messagesPerSecond(0).build()).build();
             EchoServer echo = new EchoServer();
             PortForward fwd = manager.forwardPort(LOCAL.get().defaultTarget(), null, echo.port(), PortForward.Options.defaults())) {
            assertThat(fwd.session().awaitInfo(Duration.ofSeconds(20)).mode()).isEqualTo(SessionInfo.Mode.PORT_BASIC);
            InetSocketAddress bound = fwd.localAddress();
            List<CompletableFuture<Void>> all = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                long seed = 100 + i;
                all.add(CompletableFuture.runAsync(() -> {
                    try (Socket s = new Socket(bound.getAddress(), bound.getPort())) {
                        Transfers.assertEchoes(s, 64 * 1024, seed);
                    } catch (Exception e) {
                        throw new AssertionError(e);
                    }
                }));
            }
            CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
            // Each local connection ended with DisconnectToPort, so the agent dialled again for the next.
            assertThat(echo.accepted.get()).isEqualTo(4);
        }
    }

    @Test
    void withSeveralSessionsEachConcurrentConnectionGetsASessionOfItsOwn() throws Exception {
        try (SessionManager manager = Testkit.managerFor(LOCAL.get())
                .dataChannelConfig(DataChannelConfig.builder().messagesPerSecond(0).build()).build();
             EchoServer echo = new EchoServer();
             PortForward fwd = manager.forwardPort(LOCAL.get().defaultTarget(), null, echo.port(),
                     PortForward.Options.defaults().withSessions(2))) {
            InetSocketAddress bound = fwd.localAddress();
            // Two connections open at once: in basic mode the second would wait for the first to close, unless it
            // has a session of its own.
            try (Socket a = new Socket(bound.getAddress(), bound.getPort());
                 Socket b = new Socket(bound.getAddress(), bound.getPort())) {
                Transfers.assertEchoes(a, 4096, 1);
                Transfers.assertEchoes(b, 4096, 2);
                Transfers.assertEchoes(a, 4096, 3);
                assertThat(fwd.sessions()).hasSize(2);
                assertThat(fwd.sessions()).allSatisfy(s -> assertThat(s.awaitInfo(Duration.ofSeconds(20)).mode())
                        .isEqualTo(SessionInfo.Mode.PORT_BASIC));
            }
        }
    }
}
