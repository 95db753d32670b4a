package dev.ssmsession.client.internal;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Frames queued under the lock are written by the thread that releases it, after releasing it, once. */
@Tag("pure")
class SessionLockTest {
    @Test
    void theOutermostUnlockFlushesOnItsOwnThreadWithoutTheLock() {
        SessionLock lock = new SessionLock("s-1");
        List<String> seen = new ArrayList<>();
        lock.flusher(() -> seen.add(Thread.currentThread().getName() + (lock.isHeldByCurrentThread() ? " locked" : " free")));
        lock.lock();
        lock.lock();
        lock.outputQueued();
        lock.outputQueued();
        lock.unlock();
        assertThat(seen).as("not while an outer hold remains").isEmpty();
        lock.unlock();
        assertThat(seen).containsExactly(Thread.currentThread().getName() + " free");
        lock.lock();
        lock.unlock();
        assertThat(seen).as("nothing queued, nothing flushed").hasSize(1);
    }

    @Test
    void framesGoOutBeforeCallbacksQueuedForAfterTheLock() {
        SessionLock lock = new SessionLock("s-1");
        List<String> order = new ArrayList<>();
        lock.flusher(() -> order.add("flush"));
        lock.lock();
        lock.afterUnlock(() -> order.add("callback"));
        lock.outputQueued();
        lock.unlock();
        assertThat(order).containsExactly("flush", "callback");
    }
}
