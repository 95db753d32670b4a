package dev.ssmsession.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/** A loopback TCP destination: optionally sends a banner, then echoes; closes on "bye". */
final class EchoServer implements AutoCloseable {
    private final ServerSocket server;
    private final String banner;
    final AtomicInteger accepted = new AtomicInteger();

    EchoServer(String banner) throws IOException {
        this.banner = banner;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread t = new Thread(this::acceptLoop, "echo-server");
        t.setDaemon(true);
        t.start();
    }

    int port() {
        return server.getLocalPort();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                accepted.incrementAndGet();
                Thread t = new Thread(() -> echo(s), "echo-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void echo(Socket s) {
        try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
            if (banner != null) {
                out.write(banner.getBytes(StandardCharsets.UTF_8));
            }
            byte[] buf = new byte[4096];
            int n;
            StringBuilder seen = new StringBuilder();
            while ((n = in.read(buf)) > 0) {
                out.write(buf, 0, n);
                seen.append(new String(buf, 0, n, StandardCharsets.ISO_8859_1));
                if (seen.toString().endsWith("bye\n")) {
                    return;
                }
                if (seen.length() > 16) {
                    seen.delete(0, seen.length() - 16);
                }
            }
        } catch (IOException ignored) {
            // connection ended
        }
    }

    /** A port on which nothing listens. */
    static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
