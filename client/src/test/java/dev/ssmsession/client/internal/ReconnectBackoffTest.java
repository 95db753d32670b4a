package dev.ssmsession.client.internal;

import dev.ssmsession.client.SessionException;
import dev.ssmsession.client.SessionToken;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The reconnect loop on virtual time: jittered exponential backoff, capped, until the deadline.
 * Every attempt is real (ResumeSession to a scripted endpoint, an upgrade the server refuses);
 * only the waiting between attempts is virtual.
 */
class ReconnectBackoffTest {
    @Test
    @org.junit.jupiter.api.Timeout(60)
    void backoffDoublesWithJitterUpToTheCapAndStopsAtTheDeadline() throws Exception {
        try (FakeSsm ssm = new FakeSsm()) {
            LoopbackWebSocketServer server = new LoopbackWebSocketServer().startAndWait();
            try {
                ssm.reply("ResumeSession", 200, "{\"SessionId\":\"s-1\",\"TokenValue\":\"T2\",\"StreamUrl\":\"wss://x/y\"}");
                ManualScheduler clock = new ManualScheduler();
                TransportContext ctx = new TransportContext(
                        new WebSocketConnection.Settings(CaBundle.sslContext(null), null, 5000, 1 << 20),
                        u -> u, () -> AwsBasicCredentials.create("AKID", "SECRET"), "eu-west-1", true,
                        new UpgradeSigner(Clock.systemUTC()), new SsmApi(ssm.client), UUID.randomUUID(), "1.2.764.0",
                        Duration.ofSeconds(30), Duration.ofMinutes(5), clock, clock, clock::nanoTime);
                CompletableFuture<SessionException> failed = new CompletableFuture<>();
                DataChannelTransport t = new DataChannelTransport(ctx,
                        new SessionToken("s-1", "T1", URI.create(server.url("/v1/data-channel/s-1"))),
                        new DataChannelTransport.Events() {
                            @Override
                            public void onFrame(byte[] frame) {
                            }

                            @Override
                            public void onUp(boolean reconnect) {
                            }

                            @Override
                            public void onDown(String reason) {
                            }

                            @Override
                            public void onFailed(SessionException e) {
                                failed.complete(e);
                            }
                        });
                t.connect();
                server.rejectUpgrades = true;
                server.opened.take().closeConnection(1006, "cut");
                // The loss is noticed on the WebSocket thread; the first attempt is queued on "io".
                clock.awaitScheduled(10_000);
                while (!failed.isDone() && clock.runNext()) {
                    // each step: one real attempt, then the next virtual wait
                }
                SessionException e = failed.get(1, TimeUnit.SECONDS);
                assertThat(e.reason()).isEqualTo(SessionException.Reason.CONNECTION_LOST);
                assertThat(clock.nanoTime()).isLessThanOrEqualTo(TimeUnit.SECONDS.toNanos(30));

                List<Long> waits = clock.delays.stream().filter(d -> d > 0).map(TimeUnit.NANOSECONDS::toMillis).toList();
                long base = DataChannelTransport.INITIAL_BACKOFF_MILLIS;
                for (int i = 0; i < waits.size(); i++) {
                    long b = Math.min(base << Math.min(i, 20), DataChannelTransport.MAX_BACKOFF_MILLIS);
                    assertThat(waits.get(i)).as("wait %d", i).isBetween(b / 2, b - 1);
                }
                assertThat(waits).hasSizeGreaterThan(6);  // 0.1+0.2+…+5+5… s fill 30 virtual seconds
                assertThat(ssm.calls).hasSize(waits.size() + 1);  // a fresh ResumeSession per attempt
                t.close();
            } finally {
                server.stop(1000);
            }
        }
    }
}
