package dev.ssmsession.bench;

import dev.ssmsession.client.PortForward;
import dev.ssmsession.client.Session;
import dev.ssmsession.client.SessionManager;
import dev.ssmsession.client.SessionRequest;
import dev.ssmsession.testkit.LocalSessionManager;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Arrays;

/**
 * Small request/response latency through the library, in one run against the in-process testkit at the service's
 * real message cap: a 64-byte request and its echo, straight to the echo server (the baseline), through a port
 * forward's local socket and through the library's in-process socket, with an smux agent and with a basic-mode one
 * (agent version 3.0.196.0 and below). Prints p50/p99 and what each adds to the baseline; the testkit's relay and
 * agent are in the path of every row but the baseline, so "adds" is the whole Session Manager path, client included.
 * Run with {@code bench/roundtrips.sh [N]} (N round trips per row, default 500).
 */
public final class RoundTrips {
    private static final int SIZE = 64;
    private static final int WARM_UP = 50;

    private RoundTrips() {
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 500;
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        PrintStream out = System.out;
        MachineInfo.describe().forEach(out::println);
        try (EchoServer echo = new EchoServer()) {
            double[] base = measure(new InetSocketAddress(InetAddress.getLoopbackAddress(), echo.port()), n);
            row(out, "direct to the echo server (baseline)", base, null);
            for (String agent : new String[] {"3.3.987.0", "3.0.196.0"}) {
                boolean smux = !agent.equals("3.0.196.0");
                try (LocalSessionManager local = LocalSessionManager.builder().agentVersion(agent).build().start();
                     SessionManager ssm = manager(local)) {
                    try (PortForward fwd = ssm.forwardPort(local.defaultTarget(), null, echo.port(), PortForward.Options.defaults())) {
                        row(out, (smux ? "smux" : "basic") + ": port forward, local socket", measure(fwd.localAddress(), n), base);
                    }
                    if (smux) {
                        try (Session session = ssm.start(SessionRequest.portForwarding(local.defaultTarget(), "127.0.0.1", echo.port()));
                             Socket s = session.socket()) {
                            row(out, "smux: in-process socket (no local port)", measure(s, n), base);
                        }
                    }
                }
            }
        }
        System.exit(0);
    }

    private static SessionManager manager(LocalSessionManager local) {
        return TestkitManagers.builder(local).build();
    }

    private static double[] measure(InetSocketAddress to, int n) throws IOException {
        try (Socket s = new Socket()) {
            s.setTcpNoDelay(true);
            s.connect(to, 10_000);
            return measure(s, n);
        }
    }

    /** Milliseconds per round trip, sorted, after a warm-up. */
    private static double[] measure(Socket s, int n) throws IOException {
        s.setSoTimeout(30_000);
        OutputStream out = s.getOutputStream();
        InputStream in = s.getInputStream();
        byte[] request = new byte[SIZE];
        byte[] reply = new byte[SIZE];
        double[] ms = new double[n];
        for (int i = -WARM_UP; i < n; i++) {
            long t = System.nanoTime();
            out.write(request);
            out.flush();
            if (in.readNBytes(reply, 0, SIZE) < SIZE) {
                throw new IOException("the echo ended early");
            }
            if (i >= 0) {
                ms[i] = (System.nanoTime() - t) / 1e6;
            }
        }
        Arrays.sort(ms);
        return ms;
    }

    private static void row(PrintStream out, String what, double[] ms, double[] base) {
        double p50 = ms[ms.length / 2];
        double p99 = ms[(int) Math.min(ms.length - 1, Math.round(ms.length * 0.99))];
        String adds = base == null ? "" : String.format("   adds p50 %+.2f ms, p99 %+.2f ms", p50 - base[base.length / 2],
                p99 - base[(int) Math.min(base.length - 1, Math.round(base.length * 0.99))]);
        out.printf("  %-44s p50 %6.2f ms  p99 %6.2f ms%s%n", what, p50, p99, adds);
    }

    /** A TCP echo server on loopback, a thread per connection, Nagle off. */
    private static final class EchoServer implements AutoCloseable {
        private final ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());

        EchoServer() throws IOException {
            Thread accept = new Thread(() -> {
                while (!server.isClosed()) {
                    try {
                        Socket c = server.accept();
                        c.setTcpNoDelay(true);
                        Thread t = new Thread(() -> {
                            try (c) {
                                c.getInputStream().transferTo(c.getOutputStream());
                            } catch (IOException ignored) {
                                // the client left
                            }
                        }, "echo");
                        t.setDaemon(true);
                        t.start();
                    } catch (IOException e) {
                        return;
                    }
                }
            }, "echo-accept");
            accept.setDaemon(true);
            accept.start();
        }

        int port() {
            return server.getLocalPort();
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }
}
