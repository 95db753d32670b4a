package dev.ssmsession.cli;

import dev.ssmsession.client.PortForward.Stats;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ForwardStatusTest {
    @Test
    void showsSessionsConnectionsBytesAndTheRateSinceThePreviousLine() {
        AtomicLong now = new AtomicLong(1_000_000_000L);
        AtomicReference<Stats> stats = new AtomicReference<>(new Stats(1, 1, 0, 0, 0, 0));
        ForwardStatus status = new ForwardStatus(now::get)
                .add(new ForwardStatus.Source("8080", 4, stats::get, () -> false));
        assertThat(status.get()).isEqualTo("8080: 1/4 sessions, 0 connections (0 in all), received 0 B, sent 0 B");

        now.addAndGet(500_000_000L);
        stats.set(new Stats(3, 3, 5, 9, 2_000, 1_500_000));
        assertThat(status.get()).isEqualTo("8080: 3/4 sessions, 5 connections (9 in all), "
                + "received 1.5 MB at 3.0 MB/s, sent 2.0 kB at 4.0 kB/s");
    }

    @Test
    void severalForwardsHaveALineEachAndAReconnectIsShown() {
        AtomicLong now = new AtomicLong(1);
        ForwardStatus status = new ForwardStatus(now::get)
                .add(new ForwardStatus.Source("8080", 1, () -> new Stats(1, 1, 1, 1, 10, 20), () -> true))
                .add(new ForwardStatus.Source("SOCKS 1080", 0, () -> new Stats(2, 2, 0, 3, 0, 999), () -> false));
        assertThat(status.get()).isEqualTo("8080: 1/1 session, 1 connection (1 in all), received 20 B, sent 10 B, "
                + "reconnecting…\nSOCKS 1080: 2 sessions, 0 connections (3 in all), received 999 B, sent 0 B");
    }

    @Test
    void bytesUseDecimalUnits() {
        assertThat(ForwardStatus.bytes(999)).isEqualTo("999 B");
        assertThat(ForwardStatus.bytes(1000)).isEqualTo("1.0 kB");
        assertThat(ForwardStatus.bytes(999_949)).isEqualTo("999.9 kB");
        assertThat(ForwardStatus.bytes(999_950)).isEqualTo("1.0 MB");
        assertThat(ForwardStatus.bytes(12_345_678_901L)).isEqualTo("12.3 GB");
    }
}
