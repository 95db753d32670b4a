package dev.ssmsession.testkit;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Debian's {@code tinyproxy} (a real forwarding and CONNECT proxy), run in the foreground on a
 * free loopback port with a temporary config. Its log has one line per request it received,
 * {@code Request (file descriptor 5): CONNECT 127.0.0.1:4567 HTTP/1.1} or
 * {@code ...: POST http://127.0.0.1:4566/ssm/ HTTP/1.1}, logged before it forwards anything. For tests
 * of the client's proxy support (HTTP_PROXY, HTTPS_PROXY, NO_PROXY); the testkit itself needs no proxy.
 */
public final class TinyProxy implements AutoCloseable {
    private static final Pattern REQUEST = Pattern.compile("Request \\(file descriptor \\d+\\): (.*)$");
    private static final long START_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final Process process;
    private final int port;
    private final Path log;

    private TinyProxy(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /** The binary on PATH or in the usual places, if installed ({@code .ci/run} installs it). */
    public static Optional<Path> binary() {
        List<String> dirs = new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(":")));
        dirs.addAll(List.of("/usr/bin", "/usr/sbin", "/usr/local/bin", "/usr/local/sbin"));
        return dirs.stream().filter(d -> !d.isEmpty()).map(d -> Path.of(d, "tinyproxy"))
                .filter(Files::isExecutable).findFirst();
    }

    /**
     * Starts tinyproxy with a config in {@code dir}: loopback only, every CONNECT port allowed (no
     * {@code ConnectPort} line) unless {@code extraConfig} says otherwise.
     */
    public static TinyProxy start(Path dir, String... extraConfig) throws IOException, InterruptedException {
        Path bin = binary().orElseThrow(() -> new IllegalStateException("tinyproxy is not installed"));
        IOException last = null;
        for (int attempt = 1; attempt <= 3; attempt++) {
            int port = freePort();
            Path log = dir.resolve("tinyproxy-" + port + ".log");
            Path conf = dir.resolve("tinyproxy-" + port + ".conf");
            List<String> lines = new ArrayList<>(List.of(
                    "Port " + port,
                    "Listen 127.0.0.1",
                    "Timeout 30",
                    "LogFile \"" + log + "\"",
                    "LogLevel Connect",
                    "MaxClients 50",
                    "Allow 127.0.0.1",
                    "DisableViaHeader Yes"));
            lines.addAll(List.of(extraConfig));
            Files.write(conf, lines, StandardCharsets.UTF_8);
            Process p = new ProcessBuilder(bin.toString(), "-d", "-c", conf.toString())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("tinyproxy-" + port + ".out").toFile()).start();
            if (awaitListening(p, port)) {
                return new TinyProxy(p, port, log);
            }
            stop(p);
            last = new IOException("tinyproxy did not listen on 127.0.0.1:" + port + ": "
                    + Files.readString(dir.resolve("tinyproxy-" + port + ".out")));
        }
        throw last;
    }

    /** A loopback port nobody listens on (for a dead proxy, too). */
    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** Polls the port, bounded; false if the process exited (port taken, bad config) or time ran out. */
    private static boolean awaitListening(Process p, int port) throws InterruptedException {
        long end = System.nanoTime() + START_TIMEOUT_NANOS;
        while (System.nanoTime() < end) {
            if (!p.isAlive()) {
                return false;
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
                return true;
            } catch (IOException notYet) {
                Thread.sleep(20);
            }
        }
        return false;
    }

    public int port() {
        return port;
    }

    /** {@code http://127.0.0.1:port}, with {@code userInfo@} if given (already percent-encoded). */
    public String url(String userInfo) {
        return "http://" + (userInfo == null ? "" : userInfo + "@") + "127.0.0.1:" + port;
    }

    public String url() {
        return url(null);
    }

    /** Every request line tinyproxy received so far, in order. */
    public List<String> requests() throws IOException {
        if (!Files.exists(log)) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        try (Stream<String> lines = Files.lines(log, StandardCharsets.UTF_8)) {
            lines.forEach(l -> {
                Matcher m = REQUEST.matcher(l);
                if (m.find()) {
                    out.add(m.group(1));
                }
            });
        }
        return out;
    }

    /** The requests after the first {@code mark} ({@code requests().size()} taken earlier). */
    public List<String> requestsSince(int mark) throws IOException {
        List<String> all = requests();
        return all.subList(Math.min(mark, all.size()), all.size());
    }

    /**
     * Waits (bounded, polling the log) until at least {@code count} requests arrived after
     * {@code mark}, for calls that run asynchronously (TerminateSession on close, a reconnect).
     */
    public List<String> awaitRequestsSince(int mark, int count) throws IOException, InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        List<String> got = requestsSince(mark);
        while (got.size() < count && System.nanoTime() < end) {
            Thread.sleep(20);
            got = requestsSince(mark);
        }
        return got;
    }

    @Override
    public void close() throws InterruptedException {
        stop(process);
    }

    private static void stop(Process p) throws InterruptedException {
        p.destroy();
        if (!p.waitFor(5, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }
}
