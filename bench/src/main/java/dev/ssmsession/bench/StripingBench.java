package dev.ssmsession.bench;

import dev.ssmsession.client.PortForward;
import dev.ssmsession.client.SessionManager;
import dev.ssmsession.client.SocksProxy;
import dev.ssmsession.testkit.LocalSessionManager;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Forwarding at scale, against the in-process testkit with the service's 1000 messages/s cap per session, every byte
 * checked, all figures and ratios from this one run: a forward striped over 1, 2, 4 and 8 sessions (8 connections,
 * each direction); the set-up of small request/response connections through SOCKS (answered at once, or waiting
 * for a dial failure), a port forward and directly; 200 concurrent connections through one forward. Not a test:
 * {@code bench/striping.sh [--mib N]} (also run by {@code bench/throughput.sh}).
 */
public final class StripingBench {
    private static final long SEED = 20261204L;
    private static final int CONNECTIONS = 8;
    private static final int MANY = 200;
    private static final int MANY_BYTES = 64 * 1024;
    private static final int SETUPS = 10;
    private static final Duration TIMEOUT = Duration.ofMinutes(5);

    private StripingBench() {
    }

    public static void main(String[] args) throws Exception {
        double mib = 1;
        if (args.length == 2 && args[0].equals("--mib")) {
            mib = Double.parseDouble(args[1]);
        } else if (args.length != 0) {
            System.err.println("usage: StripingBench [--mib N]  (MiB per connection per direction, default 1)");
            System.exit(64);
        }
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        int status;
        try {
            status = run((int) (mib * 1024 * 1024), System.out) ? 0 : 1;
        } catch (Exception e) {
            System.err.println("striping bench failed: " + e);
            e.printStackTrace();
            status = 2;
        }
        System.exit(status);
    }

    static boolean run(int perConnection, PrintStream out) throws Exception {
        Payload payload = new Payload(Math.max(perConnection, MANY_BYTES), SEED);
        ExecutorService pool = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "bench-striping");
            t.setDaemon(true);
            return t;
        });
        boolean ok = true;
        try (LocalSessionManager local = LocalSessionManager.builder().build().start();
             RemoteEndpoint remote = new RemoteEndpoint(payload);
             SessionManager manager = TestkitManagers.builder(local).build()) {
            LocalPeer peer = new LocalPeer(payload, remote);
            String target = local.defaultTarget();
            MachineInfo.describe().forEach(out::println);
            out.printf(Locale.ROOT, "%nStriped forward: %d connections at once, %.1f MiB each per direction, "
                    + "service cap 1000 msg/s per session%n", CONNECTIONS, perConnection / 1048576.0);
            out.printf(Locale.ROOT, "  %-9s %-6s %14s %7s %14s %7s%n", "sessions", "used", "down MB/s", "ratio",
                    "up MB/s", "ratio");
            double baseDown = 0;
            double baseUp = 0;
            for (int n : new int[] {1, 2, 4, 8}) {
                try (PortForward f = manager.forwardPort(target, null, remote.port(), PortForward.Options.defaults()
                        .withSessions(n).withIdleTimeout(Duration.ZERO))) {
                    InetSocketAddress at = f.localAddress();
                    all(pool, CONNECTIONS, i -> peer.download(at, i, 64 * 1024));  // opens the sessions
                    int used = f.stats().sessions();
                    Transfer down = Transfer.aggregate(all(pool, CONNECTIONS, i -> peer.download(at, i, perConnection)));
                    Transfer up = Transfer.aggregate(all(pool, CONNECTIONS, i -> peer.upload(at, 1000L * n + i,
                            perConnection, LocalPeer.Sender.BULK, TIMEOUT)));
                    ok &= down.verified() && up.verified();
                    if (n == 1) {
                        baseDown = down.megabytesPerSecond();
                        baseUp = up.megabytesPerSecond();
                    }
                    out.printf(Locale.ROOT, "  %-9d %-6d %14.2f %6.2fx %14.2f %6.2fx%s%n", n, used,
                            down.megabytesPerSecond(), down.megabytesPerSecond() / baseDown, up.megabytesPerSecond(),
                            up.megabytesPerSecond() / baseUp, down.verified() && up.verified() ? "" : "  BYTES DIFFER");
                }
            }

            out.printf(Locale.ROOT, "%n%d small request/response connections, one after another (connect, 17-byte "
                    + "request, 64-byte answer; the server does not speak first)%n", SETUPS);
            InetSocketAddress direct = new InetSocketAddress("127.0.0.1", remote.port());
            long directNanos = setups(direct, Proxy.NO_PROXY, remote.port());
            out.printf(Locale.ROOT, "  %-44s %9.1f ms %8s%n", "direct (no client)", directNanos / 1e6, "1.00x");
            try (PortForward f = manager.forwardPort(target, null, remote.port(), PortForward.Options.defaults())) {
                setups(f.localAddress(), Proxy.NO_PROXY, remote.port());  // warm
                long nanos = setups(f.localAddress(), Proxy.NO_PROXY, remote.port());
                out.printf(Locale.ROOT, "  %-44s %9.1f ms %7.2fx%n", "port-forward", nanos / 1e6,
                        (double) nanos / directNanos);
            }
            for (Duration wait : List.of(Duration.ZERO, Duration.ofMillis(300))) {
                try (SocksProxy socks = manager.socksProxy(target, SocksProxy.Options.defaults().withConnectWait(wait))) {
                    Proxy proxy = new Proxy(Proxy.Type.SOCKS, socks.localAddress());
                    InetSocketAddress dest = InetSocketAddress.createUnresolved("127.0.0.1", remote.port());
                    setups(dest, proxy, remote.port());  // starts the destination's session
                    long nanos = setups(dest, proxy, remote.port());
                    String label = wait.isZero() ? "socks (default: answered at once)" : "socks --connect-wait 300ms";
                    out.printf(Locale.ROOT, "  %-44s %9.1f ms %7.2fx%n", label, nanos / 1e6, (double) nanos / directNanos);
                }
            }

            out.printf(Locale.ROOT, "%n%d concurrent connections through one forward (one session), %d KiB "
                    + "download each%n", MANY, MANY_BYTES / 1024);
            try (PortForward f = manager.forwardPort(target, null, remote.port(), PortForward.Options.defaults())) {
                InetSocketAddress at = f.localAddress();
                Runtime rt = Runtime.getRuntime();
                long start = System.nanoTime();
                List<Transfer> many = all(pool, MANY, i -> peer.download(at, 50_000 + i, MANY_BYTES));
                long total = System.nanoTime() - start;
                long heapMib = (rt.totalMemory() - rt.freeMemory()) >> 20;
                long[] spans = many.stream().mapToLong(t -> t.lastNanos() - start).sorted().toArray();
                boolean verified = many.stream().allMatch(Transfer::verified);
                ok &= verified;
                out.printf(Locale.ROOT, "  all done in %.2f s (%.2f MB/s), %s; each finished after: first %.2f s, "
                                + "median %.2f s, last %.2f s; heap in use after: %d MiB%n", total / 1e9,
                        Transfer.rate((long) MANY * MANY_BYTES, total), verified ? "every byte checked" : "BYTES DIFFER",
                        spans[0] / 1e9, spans[spans.length / 2] / 1e9, spans[spans.length - 1] / 1e9, heapMib);
            }
        } finally {
            pool.shutdownNow();
        }
        return ok;
    }

    /** {@link #SETUPS} connections one after another, each a 17-byte request and the 64-byte answer; total time. */
    private static long setups(InetSocketAddress at, Proxy proxy, int port) throws IOException {
        long start = System.nanoTime();
        for (int i = 0; i < SETUPS; i++) {
            try (Socket s = new Socket(proxy)) {
                s.setSoTimeout(60_000);
                s.setTcpNoDelay(true);
                s.connect(at, 60_000);
                DataOutputStream d = new DataOutputStream(s.getOutputStream());
                d.writeByte(RemoteEndpoint.DOWNLOAD);
                d.writeLong(90_000 + i);
                d.writeLong(64);
                d.flush();
                InputStream in = s.getInputStream();
                if (in.readNBytes(64).length != 64) {
                    throw new IOException("short answer through " + at);
                }
            }
        }
        return System.nanoTime() - start;
    }

    @FunctionalInterface
    private interface Job {
        Transfer run(int index) throws Exception;
    }

    private static List<Transfer> all(ExecutorService pool, int n, Job job) throws Exception {
        List<Future<Transfer>> futures = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int index = i;
            futures.add(pool.submit((Callable<Transfer>) () -> job.run(index)));
        }
        List<Transfer> out = new ArrayList<>();
        for (Future<Transfer> f : futures) {
            out.add(f.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS));
        }
        return out;
    }
}
