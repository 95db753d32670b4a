package dev.ssmsession.client.internal;

import dev.ssmsession.client.ConnectionListener;
import dev.ssmsession.client.SessionException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class ConnectionEventsTest {

    @Test
    void eventsReachListenersInOrderOnTheExecutorEvenOnAPool() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4, r -> new Thread(r, "listener-pool"));
        try {
            ConnectionEvents events = new ConnectionEvents("s-1", pool, System::nanoTime);
            List<String> seen = new CopyOnWriteArrayList<>();
            CountDownLatch done = new CountDownLatch(1);
            events.add(new ConnectionListener() {
                @Override
                public void onReconnecting(String sessionId, int attempt, Instant deadline, String cause) {
                    seen.add(attempt + "@" + Thread.currentThread().getName());
                }

                @Override
                public void onReconnectFailed(String sessionId, SessionException reason) {
                    done.countDown();
                }
            });
            for (int i = 1; i <= 500; i++) {
                events.reconnecting(i, System.nanoTime() + 1_000_000_000L, "cut");
            }
            events.gaveUp(new SessionException(SessionException.Reason.CONNECTION_LOST, "gone"));
            assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(seen).hasSize(500);
            for (int i = 0; i < 500; i++) {
                assertThat(seen.get(i)).isEqualTo((i + 1) + "@listener-pool");
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void oneOutageReportsOneDeadlineAndAThrowingListenerDoesNotStopTheOthers() throws Exception {
        AtomicLong now = new AtomicLong(5_000_000_000L);
        ConnectionEvents events = new ConnectionEvents("s-1", Runnable::run, now::get);
        List<Instant> deadlines = new CopyOnWriteArrayList<>();
        List<Duration> downtimes = new CopyOnWriteArrayList<>();
        events.add(new ConnectionListener() {
            @Override
            public void onReconnecting(String sessionId, int attempt, Instant deadline, String cause) {
                throw new IllegalStateException("listener bug");
            }
        });
        events.add(new ConnectionListener() {
            @Override
            public void onReconnecting(String sessionId, int attempt, Instant deadline, String cause) {
                deadlines.add(deadline);
            }

            @Override
            public void onReconnected(String sessionId, Duration downtime) {
                downtimes.add(downtime);
            }
        });
        Instant before = Instant.now();
        events.reconnecting(1, now.get() + Duration.ofMinutes(5).toNanos(), "cut");
        long deadline = now.get() + Duration.ofMinutes(5).toNanos();
        now.addAndGet(Duration.ofSeconds(3).toNanos());
        events.reconnecting(2, deadline, "refused");
        events.reconnected(Duration.ofSeconds(4).toNanos());
        assertThat(deadlines).hasSize(2);
        assertThat(deadlines.get(1)).isEqualTo(deadlines.get(0));
        assertThat(deadlines.get(0)).isBetween(before.plus(Duration.ofMinutes(5)),
                Instant.now().plus(Duration.ofMinutes(5)));
        assertThat(downtimes).containsExactly(Duration.ofSeconds(4));
    }
}
