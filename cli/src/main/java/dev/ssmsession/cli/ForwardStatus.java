package dev.ssmsession.cli;

import dev.ssmsession.client.PortForward.Stats;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The text of the live status line of {@code port-forward} and {@code socks}: per forward its sessions, connections,
 * bytes each way and the current rate (over the time since the previous line); one line per forward.
 */
final class ForwardStatus implements Supplier<String> {
    /** One forward (or the SOCKS proxy) as the line shows it; {@code maxSessions} 0: no fixed maximum. */
    record Source(String label, int maxSessions, Supplier<Stats> stats, BooleanSupplier reconnecting) {
    }

    private final List<Source> sources = new ArrayList<>();
    private final LongSupplier nanoTime;
    private long[] lastSent = new long[0];
    private long[] lastReceived = new long[0];
    private long lastNanos;

    ForwardStatus(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
    }

    synchronized ForwardStatus add(Source source) {
        sources.add(source);
        lastSent = java.util.Arrays.copyOf(lastSent, sources.size());
        lastReceived = java.util.Arrays.copyOf(lastReceived, sources.size());
        return this;
    }

    @Override
    public synchronized String get() {
        long now = nanoTime.getAsLong();
        double seconds = lastNanos == 0 ? 0 : (now - lastNanos) / 1e9;
        lastNanos = now;
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < sources.size(); i++) {
            Source source = sources.get(i);
            Stats s = source.stats().get();
            if (i > 0) {
                line.append('\n');
            }
            line.append(source.label()).append(": ");
            line.append(s.sessions());
            if (source.maxSessions() > 0) {
                line.append('/').append(source.maxSessions());
            }
            line.append(s.sessions() == 1 && source.maxSessions() <= 1 ? " session, " : " sessions, ");
            line.append(s.connections()).append(s.connections() == 1 ? " connection" : " connections")
                    .append(" (").append(s.connectionsTotal()).append(" in all), ");
            line.append("received ").append(bytes(s.bytesReceived()));
            if (seconds > 0) {
                line.append(" at ").append(bytes((long) ((s.bytesReceived() - lastReceived[i]) / seconds))).append("/s");
            }
            line.append(", sent ").append(bytes(s.bytesSent()));
            if (seconds > 0) {
                line.append(" at ").append(bytes((long) ((s.bytesSent() - lastSent[i]) / seconds))).append("/s");
            }
            if (source.reconnecting().getAsBoolean()) {
                line.append(", reconnecting…");
            }
            lastReceived[i] = s.bytesReceived();
            lastSent[i] = s.bytesSent();
        }
        return line.toString();
    }

    /** 999 B, 1.0 kB, 12.3 MB: decimal units, one decimal. */
    static String bytes(long n) {
        if (n < 1000) {
            return n + " B";
        }
        String[] units = {"kB", "MB", "GB", "TB"};
        double v = n;
        int u = -1;
        while (v >= 999.95 && u < units.length - 1) {
            v /= 1000;
            u++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }
}
