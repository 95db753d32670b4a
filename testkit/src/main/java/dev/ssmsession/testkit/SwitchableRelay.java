package dev.ssmsession.testkit;

import java.io.IOException;
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
        sockets.forEach(Sockets::closeQuietly);
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
                Sockets.closeQuietly(in);
                continue;
            }
            try {
                Socket out = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                sockets.add(in);
                sockets.add(out);
                Sockets.startDaemon("switchable-relay-pump", () -> Sockets.pump(in, out));
                Sockets.startDaemon("switchable-relay-pump", () -> Sockets.pump(out, in));
            } catch (IOException e) {
                Sockets.closeQuietly(in);
            }
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        sockets.forEach(Sockets::closeQuietly);
    }
}
