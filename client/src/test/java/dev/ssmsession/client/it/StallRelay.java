package dev.ssmsession.client.it;

import dev.ssmsession.testkit.Sockets;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A loopback TCP relay in front of the testkit's WebSocket port that can stall the peer without cutting
 * anything. {@link #hold()}: the relay keeps reading both ways but forwards nothing (the client's TCP stays
 * healthy; the agent just never sees data nor sends an ack). {@link #freeze()}: it stops reading, so the
 * client's socket writes block once the kernel buffers are full. {@link #release()} forwards what was held,
 * in order, and goes back to relaying.
 */
final class StallRelay implements AutoCloseable {
    private enum Mode { FORWARD, HOLD, FREEZE }

    private final ServerSocket server;
    private final int targetPort;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final List<Pump> pumps = new CopyOnWriteArrayList<>();
    private final AtomicLong held = new AtomicLong();
    private volatile Mode mode = Mode.FORWARD;

    StallRelay(int targetPort) throws IOException {
        this.targetPort = targetPort;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Sockets.startDaemon("stall-relay-accept", this::acceptLoop);
    }

    int port() {
        return server.getLocalPort();
    }

    /** Bytes read and not forwarded (in the relay's heap). */
    long heldBytes() {
        return held.get();
    }

    void hold() {
        mode = Mode.HOLD;
    }

    void freeze() {
        mode = Mode.FREEZE;
    }

    /** Forwards everything held, in order, then relays again. */
    void release() throws IOException {
        synchronized (this) {
            mode = Mode.FORWARD;
            notifyAll();
        }
        for (Pump p : pumps) {
            p.flushHeld();
        }
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket in = server.accept();
                Socket out = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                sockets.add(in);
                sockets.add(out);
                Pump up = new Pump(in, out);
                Pump down = new Pump(out, in);
                pumps.add(up);
                pumps.add(down);
                Sockets.startDaemon("stall-relay-up", up::run);
                Sockets.startDaemon("stall-relay-down", down::run);
            } catch (IOException e) {
                return;
            }
        }
    }

    private final class Pump {
        private final Socket from;
        private final Socket to;
        private final List<byte[]> pending = new ArrayList<>();

        Pump(Socket from, Socket to) {
            this.from = from;
            this.to = to;
        }

        void run() {
            byte[] buf = new byte[16384];
            try (InputStream i = from.getInputStream()) {
                while (true) {
                    awaitNotFrozen();
                    int n = i.read(buf);
                    if (n < 0) {
                        break;
                    }
                    synchronized (this) {
                        if (mode == Mode.FORWARD && pending.isEmpty()) {
                            to.getOutputStream().write(buf, 0, n);
                        } else {
                            byte[] copy = java.util.Arrays.copyOf(buf, n);
                            pending.add(copy);
                            held.addAndGet(n);
                        }
                    }
                }
            } catch (IOException | InterruptedException e) {
                // one side closed: close both below
            } finally {
                Sockets.closeQuietly(from);
                Sockets.closeQuietly(to);
            }
        }

        synchronized void flushHeld() throws IOException {
            OutputStream o = to.getOutputStream();
            for (byte[] b : pending) {
                o.write(b);
                held.addAndGet(-b.length);
            }
            pending.clear();
        }
    }

    private void awaitNotFrozen() throws InterruptedException {
        synchronized (this) {
            while (mode == Mode.FREEZE) {
                wait();
            }
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        synchronized (this) {
            mode = Mode.FORWARD;
            notifyAll();
        }
        sockets.forEach(Sockets::closeQuietly);
    }
}
