package dev.ssmsession.client;

import dev.ssmsession.testkit.Sockets;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

/**
 * A loopback TCP relay to {@code 127.0.0.1:targetPort} that holds every accepted connection until
 * {@link #open()}: a client connecting through it is parked mid-connect, exactly where a test
 * wants it, and {@link #accepted} says when it got there.
 */
final class GatedRelay implements AutoCloseable {
    final CountDownLatch accepted = new CountDownLatch(1);
    private final CountDownLatch gate = new CountDownLatch(1);
    private final ServerSocket server;
    private final int targetPort;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();

    GatedRelay(int targetPort) throws IOException {
        this.targetPort = targetPort;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread t = new Thread(this::acceptLoop, "gated-relay-accept");
        t.setDaemon(true);
        t.start();
    }

    int port() {
        return server.getLocalPort();
    }

    /** Lets held and future connections through. */
    void open() {
        gate.countDown();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            Socket in;
            try {
                in = server.accept();
            } catch (IOException e) {
                return;
            }
            sockets.add(in);
            accepted.countDown();
            Thread t = new Thread(() -> relay(in), "gated-relay-conn");
            t.setDaemon(true);
            t.start();
        }
    }

    private void relay(Socket in) {
        try {
            gate.await();
            Socket out = new Socket(InetAddress.getLoopbackAddress(), targetPort);
            sockets.add(out);
            Thread back = new Thread(() -> Sockets.pump(out, in), "gated-relay-back");
            back.setDaemon(true);
            back.start();
            Sockets.pump(in, out);
        } catch (IOException | InterruptedException e) {
            Sockets.closeQuietly(in);
        }
    }

    @Override
    public void close() throws IOException {
        gate.countDown();
        server.close();
        sockets.forEach(Sockets::closeQuietly);
    }
}
