package dev.ssmsession.client;

import dev.ssmsession.testkit.LocalSessionManager;
import dev.ssmsession.testkit.LocalSessionManagerExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Sessions of a {@link TunnelSocketFactory} start outside its map: a slow destination holds up no other. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TunnelSocketFactoryTest {
    @RegisterExtension
    static final LocalSessionManagerExtension LOCAL = new LocalSessionManagerExtension();
    private static final String FAST = "127.0.0.1:9";

    private final ExecutorService callers = Executors.newCachedThreadPool();

    @AfterEach
    void stopCallers() {
        callers.shutdownNow();
    }

    /**
     * A host whose key lands in the same bin as {@link #FAST} in a fresh ConcurrentHashMap (16 bins): a start run
     * inside {@code computeIfAbsent} would hold that bin's lock, and with it the other destination.
     */
    private static String slowHostSharingABinWithFast() {
        for (int i = 0; ; i++) {
            String host = "slow-" + i + ".internal";
            if (bin(host + ":5432") == bin(FAST)) {
                return host;
            }
        }
    }

    private static int bin(String key) {
        int h = key.hashCode();
        return (h ^ (h >>> 16)) & 15;
    }

    @Test
    void aSlowDestinationDoesNotHoldUpAnotherAndAFailedStartIsTriedAgain() throws Exception {
        LocalSessionManager local = LOCAL.get();
        String slowHost = slowHostSharingABinWithFast();
        CountDownLatch slowStarted = new CountDownLatch(1);
        CountDownLatch releaseSlow = new CountDownLatch(1);
        AtomicInteger slowStarts = new AtomicInteger();
        try (SessionManager manager = SessionManagerCloseTest.managerFor(local).build();
             TunnelSocketFactory factory = new TunnelSocketFactory(request -> {
                 if (request.parameters().getOrDefault("host", List.of()).contains(slowHost)) {
                     slowStarts.incrementAndGet();
                     slowStarted.countDown();
                     await(releaseSlow);  // e.g. an unreachable endpoint, until the SDK's timeouts
                     throw new SessionException(SessionException.Reason.TIMEOUT, "StartSession timed out");
                 }
                 return manager.start(request);
             }, local.defaultTarget(), TunnelSocketFactory.Options.defaults(), manager.scheduler(), manager.io())) {
            try {
                CompletableFuture<Session> slow = CompletableFuture.supplyAsync(() -> sessionFor(factory, slowHost, 5432), callers);
                assertThat(slowStarted.await(10, TimeUnit.SECONDS)).isTrue();

                Session fast = CompletableFuture.supplyAsync(() -> sessionFor(factory, "127.0.0.1", 9), callers)
                        .get(20, TimeUnit.SECONDS);
                assertThat(fast.isEnded()).isFalse();
                assertThat(sessionFor(factory, "127.0.0.1", 9)).as("cached").isSameAs(fast);
                assertThat(slow).isNotDone();

                releaseSlow.countDown();
                assertThatThrownBy(() -> slow.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                        .cause().hasMessageContaining("StartSession timed out");
                assertThatThrownBy(() -> factory.connect(slowHost, 5432)).isInstanceOf(IOException.class)
                        .hasCauseInstanceOf(SessionException.class);
            } finally {
                releaseSlow.countDown();  // else closing the factory could wait for the slow start
            }
            assertThat(slowStarts).as("the failed start was not cached").hasValue(2);
        }
    }

    private static Session sessionFor(TunnelSocketFactory factory, String host, int port) {
        try {
            SessionPool.Pooled connection = factory.connect(host, port);
            connection.close();
            return connection.session();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
