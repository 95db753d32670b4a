package dev.ssmsession.testkit.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The service rate cap on virtual time. */
@Tag("pure")
class PacerTest {
    long now;
    final List<Runnable> tasks = new ArrayList<>();
    final List<Long> delays = new ArrayList<>();
    final List<byte[]> passed = new ArrayList<>();

    private void runDueTasks() {
        List<Runnable> due = new ArrayList<>(tasks);
        tasks.clear();
        due.forEach(Runnable::run);
    }

    @Test
    void passesABurstThenOneMessagePerMillisecondAt1000PerSecondInOrder() {
        Pacer p = new Pacer(1000, (t, d) -> {
            tasks.add(t);
            delays.add(d);
        }, () -> now, passed::add);
        for (int i = 0; i < 200; i++) {
            p.submit(new byte[] {(byte) i});
        }
        // Burst of rate/20 = 50 goes at once; the rest waits.
        assertThat(passed).hasSize(50);
        assertThat(p.queued()).isEqualTo(150);
        assertThat(delays).containsExactly(1_000_000L);
        for (int ms = 1; ms <= 150; ms++) {
            now = ms * 1_000_000L;
            runDueTasks();
        }
        assertThat(passed).hasSize(200);
        for (int i = 0; i < 200; i++) {
            assertThat(passed.get(i)[0]).isEqualTo((byte) i);
        }
        // Over 150 ms of virtual time: 50 burst + 150 paced, i.e. never above 1000/s after the burst.
    }

    @Test
    void zeroMeansNoCap() {
        Pacer p = new Pacer(0, (t, d) -> tasks.add(t), () -> now, passed::add);
        for (int i = 0; i < 5000; i++) {
            p.submit(new byte[1]);
        }
        assertThat(passed).hasSize(5000);
        assertThat(tasks).isEmpty();
    }

    @Test
    void flushHandsOverWhatIsQueued() {
        Pacer p = new Pacer(20, (t, d) -> tasks.add(t), () -> now, passed::add);
        for (int i = 0; i < 5; i++) {
            p.submit(new byte[] {(byte) i});
        }
        assertThat(passed).hasSize(1);
        List<byte[]> flushed = new ArrayList<>();
        p.flushTo(flushed::add);
        assertThat(flushed).extracting(b -> b[0]).containsExactly((byte) 1, (byte) 2, (byte) 3, (byte) 4);
        assertThat(p.queued()).isZero();
    }

    /**
     * The sink takes other locks (the agent's); a thread holding one of those may call clear().
     * Calling the sink under the pacer's lock deadlocked a replay session (agent thread in clear(),
     * WebSocket worker in submit() → sink): the sink must run outside it.
     */
    @Test
    void theSinkRunsOutsideThePacersLock() throws Exception {
        List<Pacer> self = new ArrayList<>();
        List<Boolean> clearedFromSink = new ArrayList<>();
        Pacer p = new Pacer(1000, (t, d) -> tasks.add(t), () -> now, frame -> {
            CompletableFuture<Void> other = CompletableFuture.runAsync(() -> self.get(0).clear());
            try {
                other.get(5, TimeUnit.SECONDS);
                clearedFromSink.add(true);
            } catch (Exception e) {
                clearedFromSink.add(false);
            }
            passed.add(frame);
        });
        self.add(p);
        p.submit(new byte[] {1});
        assertThat(clearedFromSink).containsExactly(true);
        assertThat(passed).hasSize(1);
    }
}
