package dev.ssmsession.web.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("pure")
class OutputWindowTest {
    @Test
    void countsOutstandingBytesAndRefusesAcksForMore() throws InterruptedException {
        OutputWindow w = new OutputWindow(100);
        assertThat(w.acquire(60)).isTrue();
        assertThat(w.acquire(40)).isTrue();
        assertThat(w.outstanding()).isEqualTo(100);
        w.release(30);
        assertThat(w.outstanding()).isEqualTo(70);
        assertThatThrownBy(() -> w.release(71)).hasMessage("ack of 71 bytes with 70 outstanding");
        assertThatThrownBy(() -> w.release(-1)).hasMessage("ack of -1 bytes with 70 outstanding");
    }

    @Test
    void aChunkLargerThanTheWindowGoesOutAloneAndCloseWakesAWaiter() throws Exception {
        OutputWindow w = new OutputWindow(10);
        assertThat(w.acquire(50)).isTrue();
        boolean[] result = new boolean[1];
        Thread waiter = new Thread(() -> {
            try {
                result[0] = w.acquire(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        waiter.start();
        w.close();
        waiter.join(10_000);
        assertThat(waiter.isAlive()).isFalse();
        assertThat(result[0]).isFalse();
    }
}
