package dev.ssmsession.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ssmsession.cli.terminal.StatusPrintStream;
import dev.ssmsession.client.SessionException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The reconnect lines exactly as they reach stderr, on a terminal and elsewhere. */
@Tag("pure")
class ReconnectStatusTest {
    private static final Instant NOW = Instant.parse("2026-12-04T13:58:12Z");
    private static final Instant DEADLINE = NOW.plus(Duration.ofMinutes(5));

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

    private String text() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static final class MutableClock extends Clock {
        Instant now = NOW;

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void onATerminalOneLineIsRedrawnPerAttemptAndTheOutcomeFollowsOnItsOwnLine() {
        StatusPrintStream err = StatusPrintStream.over(bytes, () -> true, StandardCharsets.UTF_8);
        ReconnectStatus status = new ReconnectStatus(err, new MutableClock());
        status.onReconnecting("s-1", 1, DEADLINE, "connection reset");
        status.onReconnecting("s-1", 2, DEADLINE, "Connection refused");
        status.onReconnected("s-1", Duration.ofMillis(4_230));
        err.print("Connection accepted\n");
        assertThat(text()).isEqualTo(
                "\r\nConnection to the service lost; reconnecting (giving up at 14:03:12)…"
                + "\r\033[KConnection to the service lost; reconnecting, attempt 2 (giving up at 14:03:12)…"
                + "\r\nConnection to the service restored after 4.2 s.\r\n"
                + "Connection accepted\n");
    }

    @Test
    void otherTextWrittenMeanwhileStartsOnANewLine() {
        StatusPrintStream err = StatusPrintStream.over(bytes, () -> true, StandardCharsets.UTF_8);
        ReconnectStatus status = new ReconnectStatus(err, new MutableClock());
        status.onReconnecting("s-1", 1, DEADLINE, "reset");
        err.println("ssm-session: it failed");
        status.onReconnectFailed("s-1", new SessionException(SessionException.Reason.CONNECTION_LOST, "gave up"));
        assertThat(text()).isEqualTo(
                "\r\nConnection to the service lost; reconnecting (giving up at 14:03:12)…\r\n"
                + "ssm-session: it failed\n"
                + "\r\nCould not reconnect to the service: gave up\r\n");
    }

    @Test
    void elsewhereEachAttemptIsALineButAtMostOneEveryQuietPeriod() {
        StatusPrintStream err = StatusPrintStream.over(bytes, () -> false, StandardCharsets.UTF_8);
        MutableClock clock = new MutableClock();
        ReconnectStatus status = new ReconnectStatus(err, clock);
        status.onReconnecting("s-1", 1, DEADLINE, "connection reset");
        for (int attempt = 2; attempt <= 10; attempt++) {
            clock.now = clock.now.plusSeconds(2);
            status.onReconnecting("s-1", attempt, DEADLINE, "Connection refused");
        }
        clock.now = NOW.plus(ReconnectStatus.QUIET_PERIOD);
        status.onReconnecting("s-1", 11, DEADLINE, "Connection refused");
        status.onReconnected("s-1", Duration.ofSeconds(95));
        assertThat(text()).isEqualTo(
                "Connection to the service lost (connection reset); reconnecting (session s-1, giving up at "
                + "14:03:12)…\n"
                + "Still reconnecting, attempt 11 (last error: Connection refused) (session s-1, giving up at "
                + "14:03:12)…\n"
                + "Connection to the service restored after 95 s.\n");
    }
}
