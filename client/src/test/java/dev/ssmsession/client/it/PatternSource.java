package dev.ssmsession.client.it;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback server standing in for a port on the target that serves downloads the client can check byte by byte:
 * per connection it reads an 8-byte length and sends that many bytes of {@link #expected(long)}, then closes.
 */
final class PatternSource implements AutoCloseable {
    private final ServerSocket server;
    final AtomicInteger accepted = new AtomicInteger();

    PatternSource() throws IOException {
        server = new ServerSocket(0, 300, InetAddress.getLoopbackAddress());
        Thread t = new Thread(this::loop, "pattern-source");
        t.setDaemon(true);
        t.start();
    }

    int port() {
        return server.getLocalPort();
    }

    /** The byte at {@code offset} of every download: not periodic in 2^k, so a lost or repeated chunk shows. */
    static byte expected(long offset) {
        return (byte) (offset % 251);
    }

    private void loop() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                accepted.incrementAndGet();
                Thread t = new Thread(() -> serve(s), "pattern-source-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private static void serve(Socket s) {
        try (s) {
            long length = new DataInputStream(s.getInputStream()).readLong();
            OutputStream out = s.getOutputStream();
            byte[] chunk = new byte[8192];
            for (long sent = 0; sent < length; ) {
                int n = (int) Math.min(chunk.length, length - sent);
                for (int i = 0; i < n; i++) {
                    chunk[i] = expected(sent + i);
                }
                out.write(chunk, 0, n);
                sent += n;
            }
            out.flush();
            // Stays open until the client closes: a forward carries no half-close (SPEC §8.4), so a FIN here
            // would end the whole connection.
            s.getInputStream().read();
        } catch (IOException ignored) {
            // the client went away
        }
    }

    /**
     * Asks for {@code length} bytes over {@code s} and checks each one; {@code progress} counts them as they come.
     *
     * @return bytes received, all checked
     * @throws AssertionError at the first byte that differs, or if the stream ends early
     */
    static long download(Socket s, long length, Runnable firstByte, java.util.concurrent.atomic.AtomicLong progress)
            throws IOException {
        new DataOutputStream(s.getOutputStream()).writeLong(length);
        InputStream in = s.getInputStream();
        byte[] buf = new byte[16384];
        long got = 0;
        int n;
        while (got < length && (n = in.read(buf)) >= 0) {
            if (got == 0 && n > 0) {
                firstByte.run();
            }
            for (int i = 0; i < n; i++) {
                if (buf[i] != expected(got + i)) {
                    throw new AssertionError("byte " + (got + i) + " is " + buf[i] + ", expected " + expected(got + i));
                }
            }
            got += n;
            progress.addAndGet(n);
        }
        if (got != length) {
            throw new AssertionError("the download ended after " + got + " of " + length + " bytes");
        }
        return got;
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
