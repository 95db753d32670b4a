package dev.ssmsession.client.it;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback server standing in for a port on the target that checks uploads at the far end: per connection it
 * reads an 8-byte length, then that many bytes, and answers with their 32-byte SHA-256.
 */
final class HashSink implements AutoCloseable {
    private final ServerSocket server;
    final AtomicInteger accepted = new AtomicInteger();

    HashSink() throws IOException {
        server = new ServerSocket(0, 100, InetAddress.getLoopbackAddress());
        Thread t = new Thread(this::loop, "hash-sink");
        t.setDaemon(true);
        t.start();
    }

    int port() {
        return server.getLocalPort();
    }

    private void loop() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                accepted.incrementAndGet();
                Thread t = new Thread(() -> digest(s), "hash-sink-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private static void digest(Socket s) {
        try (s) {
            DataInputStream in = new DataInputStream(s.getInputStream());
            long left = in.readLong();
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[65536];
            while (left > 0) {
                int n = in.read(buf, 0, (int) Math.min(buf.length, left));
                if (n < 0) {
                    return;
                }
                sha.update(buf, 0, n);
                left -= n;
            }
            OutputStream out = s.getOutputStream();
            out.write(sha.digest());
            out.flush();
            in.read();  // until the client closes
        } catch (IOException | NoSuchAlgorithmException e) {
            // peer went away
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
