package dev.ssmsession.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A loopback TCP relay to {@code 127.0.0.1:targetPort} (the testkit's WebSocket) that can go dark:
 * {@link #refuse()} cuts every relayed connection and closes new ones at once, as a network that
 * dropped the client would; {@link #allow()} lets connections through again.
 */
public final class SwitchableRelay implements AutoCloseable {
    private final ServerSocket server;
    private final int targetPort;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private volatile boolean refusing;

    public SwitchableRelay(int targetPort) throws IOException {
        this.targetPort = targetPort;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread t = new Thread(this::acceptLoop, "switchable-relay-accept");
        t.setDaemon(true);
        t.start();
    }

    public int port() {
        return server.getLocalPort();
    }

    /** Cuts every relayed connection; new ones are closed right after accept until {@link #allow()}. */
    public void refuse() {
        refusing = true;
        sockets.forEach(SwitchableRelay::close);
        sockets.clear();
    }

    public void allow() {
        refusing = false;
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            Socket in;
            try {
                in = server.accept();
            } catch (IOException e) {
                return;
            }
            if (refusing) {
                close(in);
                continue;
            }
            try {
                Socket out = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                sockets.add(in);
                sockets.add(out);
                start(() -> pump(in, out));
                start(() -> pump(out, in));
            } catch (IOException e) {
                close(in);
            }
        }
    }

    private static void start(Runnable r) {
        Thread t = new Thread(r, "switchable-relay-pump");
        t.setDaemon(true);
        t.start();
    }

    private static void pump(Socket from, Socket to) {
        try (InputStream i = from.getInputStream(); OutputStream o = to.getOutputStream()) {
            i.transferTo(o);
        } catch (IOException e) {
            // one side closed: close both below
        } finally {
            close(from);
            close(to);
        }
    }

    private static void close(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        sockets.forEach(SwitchableRelay::close);
    }
}
