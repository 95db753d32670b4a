package dev.ssmsession.client.internal;

import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Work that may block on a socket can tell a scheduler thread (which must never block) from others. */
class ManagerThreadsTest {
    @Test
    void schedulerThreadsAreMarkedAndDaemon() throws Exception {
        ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1, ManagerThreads.scheduler("test-sched-"));
        try {
            CompletableFuture<Boolean> marked = new CompletableFuture<>();
            CompletableFuture<Boolean> daemon = new CompletableFuture<>();
            scheduler.schedule(() -> {
                marked.complete(ManagerThreads.isScheduler());
                daemon.complete(Thread.currentThread().isDaemon());
            }, 1, TimeUnit.MILLISECONDS);
            assertThat(marked.get(10, TimeUnit.SECONDS)).isTrue();
            assertThat(daemon.get(10, TimeUnit.SECONDS)).isTrue();
        } finally {
            scheduler.shutdownNow();
        }
        assertThat(ManagerThreads.isScheduler()).as("the test's own thread").isFalse();
        Thread other = ManagerThreads.daemon("test-io-").newThread(() -> { });
        assertThat(other.isDaemon()).isTrue();
    }
}
