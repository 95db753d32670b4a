package dev.ssmsession.client.it;

import dev.ssmsession.client.PortForward;
import dev.ssmsession.client.SessionManager;
import dev.ssmsession.testkit.LocalSessionManagerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** 200 connections at once through one forward (one smux session, the service's cap on): all complete, intact. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ManyConnectionsIntegrationTest {
    private static final int CONNECTIONS = 200;
    private static final int BYTES = 16 * 1024;

    @RegisterExtension
    static final LocalSessionManagerExtension LOCAL = new LocalSessionManagerExtension();

    @Test
    void twoHundredConcurrentConnectionsCompleteIntact() throws Exception {
        ExecutorService clients = Executors.newFixedThreadPool(CONNECTIONS);
        try (SessionManager manager = Testkit.managerFor(LOCAL.get()).build();
             PatternSource source = new PatternSource();
             PortForward forward = manager.forwardPort(LOCAL.get().defaultTarget(), null, source.port(),
                     PortForward.Options.defaults())) {
            InetSocketAddress at = forward.localAddress();
            AtomicLong progress = new AtomicLong();
            List<CompletableFuture<Long>> all = new ArrayList<>();
            for (int i = 0; i < CONNECTIONS; i++) {
                all.add(CompletableFuture.supplyAsync(() -> {
                    try (Socket s = new Socket(at.getAddress(), at.getPort())) {
                        return PatternSource.download(s, BYTES, () -> { }, progress);
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }, clients));
            }
            CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(100, TimeUnit.SECONDS);
            assertThat(all).allSatisfy(f -> assertThat(f.join()).isEqualTo(BYTES));
            assertThat(source.accepted).hasValue(CONNECTIONS);
            assertThat(forward.stats().connectionsTotal()).isEqualTo(CONNECTIONS);
            assertThat(forward.stats().bytesReceived()).isEqualTo((long) CONNECTIONS * BYTES);
            assertThat(forward.sessions()).as("all on the one session").hasSize(1);
        } finally {
            clients.shutdownNow();
        }
    }
}
