package dev.ssmsession.bench;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** The table and the ratios, all from the results of this one run. */
final class Report {
    /** 1000 messages/s × 1024 bytes: what the service's cap lets through with 1024-byte messages (SPEC §6.6). */
    static final double CAP_CEILING_MBPS = dev.ssmsession.testkit.LocalSessionManager.SERVICE_RATE_LIMIT * 1024.0 / 1e6;

    private final Map<String, ScenarioRunner.Result> results = new LinkedHashMap<>();

    void add(ScenarioRunner.Result r) {
        results.put(r.scenario().key(), r);
    }

    boolean allVerified() {
        return results.values().stream().allMatch(ScenarioRunner.Result::verified);
    }

    void printTable(PrintStream out) {
        out.printf(Locale.ROOT, "%-3s %-42s %-10s %-40s %-8s %4s %9s %9s %7s %10s  %s%n",
                "id", "scenario", "service", "client (chunk, pacing)", "sess×con", "MiB", "up MB/s", "down MB/s",
                "resent", "pace@end", "sha-256");
        for (ScenarioRunner.Result r : results.values()) {
            Scenario s = r.scenario();
            out.printf(Locale.ROOT, "%-3s %-42s %-10s %-40s %-8s %4d %9s %9s %7d %10s  %s%n",
                    s.key(), s.description(), s.serviceCap() ? "1000 msg/s" : "uncapped", s.clientSummary(),
                    s.sessions() + "×" + s.connectionsPerSession(),
                    (long) s.connections() * s.bytesPerConnection() / (1024 * 1024), fmt(r.uploadMBps()), fmt(r.downloadMBps()),
                    r.resent(), r.pacingRate() == 0 ? "unpaced" : r.pacingRate() + (r.pacingFellBack() ? " FB" : ""),
                    r.verified() ? "ok" : "MISMATCH");
        }
    }

    void printRatios(PrintStream out) {
        ratio(out, "ours vs cap ceiling 1.024 MB/s, upload", up("C1"), CAP_CEILING_MBPS);
        ratio(out, "ours vs cap ceiling 1.024 MB/s, download", down("C1"), CAP_CEILING_MBPS);
        ratio(out, "ours / Go-like pacing (client config), upload", up("C1"), up("G1"));
        ratio(out, "ours / Go-like loop (1 ms sleep emulated), upload", up("C1"), up("G2"));
        ratio(out, "ours / Go-like pacing, download", down("C1"), down("G1"));
        ratio(out, "4 connections in 1 session / 1 connection, upload", up("M1"), up("C1"));
        ratio(out, "4 connections in 1 session / 1 connection, download", down("M1"), down("C1"));
        ratio(out, "4 sessions / 1 session, upload", up("M2"), up("C1"));
        ratio(out, "4 sessions / 1 session, download", down("M2"), down("C1"));
        ratio(out, "16 KiB chunks / 1 KiB chunks, upload (capped)", up("X1"), up("C1"));
        ratio(out, "no cap, default pacing vs cap ceiling, upload", up("U1"), CAP_CEILING_MBPS);
        ratio(out, "no cap, default pacing / capped ours, upload", up("U1"), up("C1"));
        ratio(out, "client ceiling (unpaced, no cap) / capped ours, upload", up("U2"), up("C1"));
        ratio(out, "client ceiling (no cap) / capped ours, download", down("U2"), down("C1"));
        ratio(out, "unpaced, no cap: 4 connections in 1 session / 1, upload", up("U3"), up("U2"));
        ratio(out, "unpaced, no cap: 4 connections in 1 session / 1, download", down("U3"), down("U2"));
        ratio(out, "unpaced, no cap: 4 sessions / 1 session, upload", up("U4"), up("U2"));
        ratio(out, "unpaced, no cap: 4 sessions / 1 session, download", down("U4"), down("U2"));
        ratio(out, "adaptive / fixed pacing, cap on, upload", up("P2"), up("P1"));
        ratio(out, "adaptive / fixed pacing, cap on, download", down("P2"), down("P1"));
        ratio(out, "adaptive, cap on, vs cap ceiling, upload", up("P2"), CAP_CEILING_MBPS);
        ratio(out, "adaptive / fixed pacing, no cap, upload", up("P4"), up("P3"));
        ratio(out, "adaptive / fixed pacing, no cap, download", down("P4"), down("P3"));
        ratio(out, "adaptive, no cap / client ceiling (unpaced), upload", up("P4"), up("U2"));
        resends(out, "P2", "P1");
    }

    static void printNotes(PrintStream out) {
        out.println("notes:");
        out.println("  service 1000 msg/s = the testkit's cap per session and direction, as the real service (SPEC §6.6);"
                + " every message counts, acks included.");
        out.println("  defaults (C1, M1, M2, X1, U1) pace adaptively from 950 msg/s; G1 paces at exactly the cap, fixed.");
        out.println("  P1/P3 pace at a fixed 950 msg/s, P2/P4 adaptively from 950 msg/s (delay-based probing above it);"
                + " resent = client retransmissions; pace@end = pacing rate when the row ended (FB = fell back to fixed).");
        out.println("  P4 moves 4x the base size so that the adaptive climb (about 2 s to 10 000 msg/s) is not the whole"
                + " transfer; its MB/s is the average including the climb.");
        out.println("  G2 emulates only the Go plugin's 1 ms sleep (this JVM's Thread.sleep overshoot under this load);"
                + " the plugin's per-message work in the same loop is not emulated, so G2 flatters the plugin.");
        out.println("  capped downloads: the testkit agent puts 1016 data bytes in each 1024-byte message (smux header),"
                + " a 1.016 MB/s data ceiling; the cap's 50-message burst lifts short runs slightly.");
        out.println("  uncapped rows: client, testkit service, agent and both WebSocket ends (masking, SHA-256 per message)"
                + " share this machine's CPUs: headroom, not a network figure.");
    }

    /** Retransmissions of two rows side by side (adaptive must not retransmit more than fixed). */
    private void resends(PrintStream out, String a, String b) {
        ScenarioRunner.Result ra = results.get(a);
        ScenarioRunner.Result rb = results.get(b);
        if (ra != null && rb != null) {
            out.printf(Locale.ROOT, "  %-58s %6d vs %d%s%n", "retransmissions, adaptive vs fixed, cap on", ra.resent(), rb.resent(),
                    ra.pacingFellBack() ? " (adaptive fell back)" : "");
        }
    }

    private double up(String key) {
        ScenarioRunner.Result r = results.get(key);
        return r == null ? Double.NaN : r.uploadMBps();
    }

    private double down(String key) {
        ScenarioRunner.Result r = results.get(key);
        return r == null ? Double.NaN : r.downloadMBps();
    }

    private static void ratio(PrintStream out, String what, double a, double b) {
        if (Double.isNaN(a) || Double.isNaN(b) || b == 0) {
            return;
        }
        out.printf(Locale.ROOT, "  %-58s %6.2fx  (%s / %s)%n", what, a / b, fmt(a), fmt(b));
    }

    static String fmt(double mbps) {
        if (Double.isNaN(mbps)) {
            return "-";
        }
        return String.format(Locale.ROOT, mbps < 10 ? "%.3f" : "%.1f", mbps);
    }
}
