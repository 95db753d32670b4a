package dev.ssmsession.cli;

import dev.ssmsession.cli.terminal.StatusPrintStream;
import dev.ssmsession.client.ConnectionListener;
import dev.ssmsession.client.SessionException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Tells the user, on stderr, that the data channel was lost and is being re-established, until when, and how it
 * ended: on a terminal one status line redrawn per attempt; elsewhere one line per attempt, at most one every
 * {@link #QUIET_PERIOD} per session after the first, so a log is not flooded during a long outage.
 */
public final class ReconnectStatus implements ConnectionListener {
    static final Duration QUIET_PERIOD = Duration.ofSeconds(30);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss", Locale.ROOT);

    private final StatusPrintStream out;
    private final Clock clock;
    private final Map<String, Instant> lastPrinted = new ConcurrentHashMap<>();

    public ReconnectStatus(StatusPrintStream out) {
        this(out, Clock.systemDefaultZone());
    }

    ReconnectStatus(StatusPrintStream out, Clock clock) {
        this.out = out;
        this.clock = clock;
    }

    @Override
    public void onReconnecting(String sessionId, int attempt, Instant deadline, String cause) {
        String until = TIME.format(deadline.atZone(zone()));
        if (out.isTerminal()) {
            out.status("Connection to the service lost; reconnecting" + (attempt > 1 ? ", attempt " + attempt : "")
                    + " (giving up at " + until + ")…");
            return;
        }
        Instant now = clock.instant();
        Instant last = lastPrinted.get(sessionId);
        if (attempt > 1 && last != null && Duration.between(last, now).compareTo(QUIET_PERIOD) < 0) {
            return;
        }
        lastPrinted.put(sessionId, now);
        out.status((attempt == 1 ? "Connection to the service lost (" + cause + "); reconnecting"
                : "Still reconnecting, attempt " + attempt + " (last error: " + cause + ")")
                + " (session " + sessionId + ", giving up at " + until + ")…");
    }

    @Override
    public void onReconnected(String sessionId, Duration downtime) {
        lastPrinted.remove(sessionId);
        out.line("Connection to the service restored after " + seconds(downtime) + ".");
    }

    @Override
    public void onReconnectFailed(String sessionId, SessionException reason) {
        lastPrinted.remove(sessionId);
        out.line("Could not reconnect to the service: " + reason.getMessage());
    }

    private ZoneId zone() {
        return clock.getZone();
    }

    static String seconds(Duration d) {
        long tenths = Math.max(1, (d.toMillis() + 50) / 100);
        return tenths >= 600 ? (tenths / 10) + " s" : String.format(Locale.ROOT, "%d.%d s", tenths / 10, tenths % 10);
    }
}
