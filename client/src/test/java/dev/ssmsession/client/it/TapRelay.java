package dev.ssmsession.client.it;

import dev.ssmsession.testkit.Sockets;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A loopback TCP relay to {@code 127.0.0.1:targetPort} that keeps a copy of everything the server answered,
 * so that a test learns the secrets the service handed out (session tokens, KMS data keys) without asking the
 * client for them.
 */
final class TapRelay implements AutoCloseable {
    private final ServerSocket server;
    private final int targetPort;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final ByteArrayOutputStream answers = new ByteArrayOutputStream();

    TapRelay(int targetPort) throws IOException {
        this.targetPort = targetPort;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Sockets.startDaemon("tap-relay", this::acceptLoop);
    }

    int port() {
        return server.getLocalPort();
    }

    /** Everything the server sent so far, as ISO-8859-1 text (HTTP heads and JSON bodies). */
    String answers() {
        synchronized (answers) {
            return answers.toString(StandardCharsets.ISO_8859_1);
        }
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket in = server.accept();
                Socket out = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                sockets.add(in);
                sockets.add(out);
                Sockets.startDaemon("tap-relay", () -> pump(in, out, false));
                Sockets.startDaemon("tap-relay", () -> pump(out, in, true));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void pump(Socket from, Socket to, boolean record) {
        byte[] buf = new byte[16384];
        try (InputStream i = from.getInputStream(); OutputStream o = to.getOutputStream()) {
            int n;
            while ((n = i.read(buf)) >= 0) {
                if (record) {
                    synchronized (answers) {
                        answers.write(buf, 0, n);
                    }
                }
                o.write(buf, 0, n);
            }
        } catch (IOException e) {
            // one side closed
        } finally {
            Sockets.closeQuietly(from);
            Sockets.closeQuietly(to);
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        sockets.forEach(Sockets::closeQuietly);
    }
}
