package dev.ssmsession.bench;

import dev.ssmsession.protocol.channel.DataChannelConfig;
import dev.ssmsession.testkit.LocalSessionManager;
import java.io.PrintStream;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * End-to-end port-forward throughput through the real client and the in-process testkit, all on
 * 127.0.0.1, with every figure and ratio taken from this one run (shared machines are too noisy to
 * compare runs). Not a test: run it with {@code bench/throughput.sh [--mib N] [--only ID,ID…]}.
 *
 * <p>Rows: the service's 1000 messages/s cap with the client's defaults (what a user sees against
 * AWS), the same with a Go-plugin-like sender (SPEC §6.6: 1024-byte messages, one per ms, once as
 * client pacing and once as the plugin's sleep loop done by the application), several connections
 * and sessions at once, a larger chunk, and the client's own ceiling on an uncapped testkit.
 */
public final class ForwardThroughput {
    private static final long SEED = 20261128L;
    private static final int DEFAULT_MIB = 8;

    private ForwardThroughput() {
    }

    public static void main(String[] args) throws Exception {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(64);
            return;
        }
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        PrintStream out = System.out;
        int status;
        try {
            status = run(options, out) ? 0 : 1;
        } catch (Exception e) {
            System.err.println("throughput run failed: " + e);
            e.printStackTrace();
            status = 2;
        }
        // Sessions, testkits and pools are closed; exit anyway so a stray non-daemon thread cannot hang the run.
        System.exit(status);
    }

    /** Command line: {@code [--mib N] [--only ID,ID…]}. */
    record Options(int mib, Set<String> only) {
        static final String USAGE = "usage: ForwardThroughput [--mib N] [--only ID,ID...]  (N: base MiB per transfer,"
                + " default " + DEFAULT_MIB + "; IDs: rows of the table, e.g. C1,G2)";

        static Options parse(String[] args) {
            int mib = DEFAULT_MIB;
            Set<String> only = Set.of();
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                if (i + 1 >= args.length || !(a.equals("--mib") || a.equals("--only"))) {
                    throw new IllegalArgumentException("unexpected argument '" + a + "'; " + USAGE);
                }
                String v = args[++i];
                if (a.equals("--mib")) {
                    mib = Integer.parseInt(v);
                    if (mib < 1 || mib > 64) {
                        throw new IllegalArgumentException("--mib must be 1..64, got " + mib);
                    }
                } else {
                    only = Set.of(v.toUpperCase(Locale.ROOT).split(","));
                }
            }
            return new Options(mib, only);
        }

        boolean wants(Scenario s) {
            return only.isEmpty() || only.contains(s.key());
        }
    }

    private static boolean run(Options options, PrintStream out) throws Exception {
        int mib = options.mib();
        int bytes = mib * 1024 * 1024;
        out.printf(Locale.ROOT, "ssm-session port-forward throughput, %s, one run; base size %d MiB"
                + " (MiB column: bytes moved per direction); MB/s = 10^6 bytes/s of forwarded data%n", Instant.now(), mib);
        MachineInfo.describe().forEach(l -> out.println("  " + l));
        long started = System.nanoTime();
        // Uncapped rows move 4× as much so that they last seconds, not a fraction of one.
        Payload payload = new Payload(4 * bytes, SEED);
        ExecutorService pool = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "bench-transfer");
            t.setDaemon(true);
            return t;
        });
        Report report = new Report();
        try (LocalSessionManager capped = LocalSessionManager.builder().build().start();
             LocalSessionManager uncapped = LocalSessionManager.builder().noRateLimit().build().start();
             RemoteEndpoint remote = new RemoteEndpoint(payload)) {
            ScenarioRunner runner = new ScenarioRunner(capped, uncapped, remote, new LocalPeer(payload, remote), pool);
            long w = System.nanoTime();
            runner.run(new Scenario("W", "JIT warm-up (not reported)", false, unpaced(), LocalPeer.Sender.BULK,
                    1, 1, Math.min(bytes, 2 * 1024 * 1024), true, true));
            out.printf(Locale.ROOT, "  warm-up %.1f s%n%n", (System.nanoTime() - w) / 1e9);
            for (Scenario s : scenarios(bytes)) {
                if (!options.wants(s)) {
                    continue;
                }
                long t0 = System.nanoTime();
                ScenarioRunner.Result r = runner.run(s);
                report.add(r);
                out.printf(Locale.ROOT, "  %-3s done in %5.1f s  up %-7s down %-7s %s%n", s.key(), (System.nanoTime() - t0) / 1e9,
                        Report.fmt(r.uploadMBps()), Report.fmt(r.downloadMBps()), r.verified() ? "" : "SHA-256 MISMATCH");
            }
        } finally {
            pool.shutdownNow();
        }
        out.println();
        report.printTable(out);
        out.println();
        out.println("ratios (same run):");
        report.printRatios(out);
        out.println();
        Report.printNotes(out);
        out.printf(Locale.ROOT, "%nreference, NOT this run (SPEC §6.6): the Go plugin uploads at 0.60–0.73 MB/s against a"
                + " loopback fake service; cap ceiling = 1000 msg/s × 1024 B = %.3f MB/s%n", Report.CAP_CEILING_MBPS);
        out.printf(Locale.ROOT, "total %.1f s; load at end %s%n", (System.nanoTime() - started) / 1e9, MachineInfo.loadAverage());
        if (!report.allVerified()) {
            out.println("FAILED: some transfer's SHA-256 did not match");
            return false;
        }
        return true;
    }

    /**
     * C = the service's cap, as against AWS; G = Go-plugin-like senders; M = several at once;
     * X = an explicit option; U = uncapped testkit, the client's own ceiling; P = fixed vs adaptive pacing,
     * with the cap and without.
     */
    private static List<Scenario> scenarios(int bytes) {
        int big = 4 * bytes;
        DataChannelConfig ours = DataChannelConfig.builder().build();
        DataChannelConfig goPacing = DataChannelConfig.builder().chunkSize(1024).messagesPerSecond(1000).build();
        DataChannelConfig bigChunks = DataChannelConfig.builder().chunkSize(16 * 1024).build();
        DataChannelConfig fixed = DataChannelConfig.builder().pacing(DataChannelConfig.Pacing.FIXED).build();
        DataChannelConfig adaptive = DataChannelConfig.builder().pacing(DataChannelConfig.Pacing.ADAPTIVE).build();
        LocalPeer.Sender bulk = LocalPeer.Sender.BULK;
        return List.of(
                new Scenario("U2", "ours unpaced: the client's ceiling", false, unpaced(), bulk, 1, 1, big, true, true),
                new Scenario("U1", "ours, default pacing, no service cap", false, ours, bulk, 1, 1, bytes, true, false),
                new Scenario("U3", "ours unpaced, 4 connections in 1 session", false, unpaced(), bulk, 1, 4, bytes, true, true),
                new Scenario("U4", "ours unpaced, 4 sessions", false, unpaced(), bulk, 4, 1, bytes, true, true),
                new Scenario("C1", "ours, defaults (what a user sees on AWS)", true, ours, bulk, 1, 1, bytes, true, true),
                new Scenario("G1", "Go-like pacing (client config)", true, goPacing, bulk, 1, 1, bytes, true, true),
                new Scenario("G2", "Go-like loop (sleep done by the app)", true, unpaced(), LocalPeer.Sender.GO_LOOP,
                        1, 1, bytes, true, false),
                new Scenario("M1", "ours, 4 connections in 1 session", true, ours, bulk, 1, 4, bytes / 4, true, true),
                new Scenario("M2", "ours, 4 sessions", true, ours, bulk, 4, 1, bytes / 2, true, true),
                new Scenario("X1", "ours, 16 KiB chunks (unverified on AWS)", true, bigChunks, bulk, 1, 1, big, true, false),
                new Scenario("P1", "fixed pacing, service cap", true, fixed, bulk, 1, 1, bytes, true, true),
                new Scenario("P2", "adaptive pacing, service cap", true, adaptive, bulk, 1, 1, bytes, true, true),
                new Scenario("P3", "fixed pacing, no service cap", false, fixed, bulk, 1, 1, bytes, true, true),
                new Scenario("P4", "adaptive pacing, no service cap", false, adaptive, bulk, 1, 1, big, true, true));
    }

    private static DataChannelConfig unpaced() {
        return DataChannelConfig.builder().messagesPerSecond(0).build();
    }
}
