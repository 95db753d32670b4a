package dev.ssmsession.cli.session;

import java.time.Duration;

/**
 * How a forward spreads its connections: over up to {@code sessions} sessions, extras closed after {@code idleTimeout}
 * without connections.
 */
public record ForwardOptions(int sessions, Duration idleTimeout) {
    public static final ForwardOptions DEFAULT = new ForwardOptions(1, Duration.ofMinutes(5));
}
