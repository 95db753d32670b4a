package dev.ssmsession.bench;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.MessageDigest;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The port on the "target" that the forward reaches (the testkit agent dials it on 127.0.0.1).
 * Each connection starts with a header the local side writes: {@code mode:1 id:8 length:8}
 * (big-endian). Mode {@code U}: the endpoint reads {@code length} bytes, timestamps the first and
 * last, answers with their SHA-256 and waits for the client to close. Mode {@code D}: it writes the
 * first {@code length} bytes of the payload and waits for the client to close (the client's port
 * forward has no half-close, SPEC §8.4, so nobody closes early).
 */
final class RemoteEndpoint implements AutoCloseable {
    static final byte UPLOAD = 'U';
    static final byte DOWNLOAD = 'D';
    static final int HEADER = 17;
    private static final int IO_TIMEOUT_MILLIS = 120_000;
    private static final int WRITE_CHUNK = 16 * 1024;

    private final ServerSocket server;
    private final Payload payload;
    private final Map<Long, CompletableFuture<Transfer>> uploads = new ConcurrentHashMap<>();

    RemoteEndpoint(Payload payload) throws IOException {
        this.payload = payload;
        this.server = new ServerSocket(0, 64, InetAddress.getLoopbackAddress());
        Threads.daemon("bench-remote-accept", this::acceptLoop);
    }

    int port() {
        return server.getLocalPort();
    }

    /** Completes when the endpoint received all bytes of upload {@code id}. */
    CompletableFuture<Transfer> upload(long id) {
        return uploads.computeIfAbsent(id, k -> new CompletableFuture<>());
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                Threads.daemon("bench-remote-conn", () -> serve(s));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket s) {
        long id = -1;
        try (s) {
            s.setSoTimeout(IO_TIMEOUT_MILLIS);
            s.setTcpNoDelay(true);
            DataInputStream in = new DataInputStream(s.getInputStream());
            byte mode = in.readByte();
            id = in.readLong();
            long length = in.readLong();
            if (length < 0 || length > payload.size()) {
                throw new IOException("length " + length + " is outside 0.." + payload.size());
            }
            if (mode == UPLOAD) {
                receive(in, s.getOutputStream(), id, (int) length);
            } else if (mode == DOWNLOAD) {
                send(s.getOutputStream(), (int) length);
            } else {
                throw new IOException("unknown mode " + mode);
            }
            drainUntilClosed(in);
        } catch (IOException | RuntimeException e) {
            if (id >= 0) {
                upload(id).completeExceptionally(e);
            }
        }
    }

    private void receive(InputStream in, OutputStream out, long id, int length) throws IOException {
        MessageDigest md = Payload.newDigest();
        byte[] buf = new byte[64 * 1024];
        long first = System.nanoTime();
        int left = length;
        while (left > 0) {
            int n = in.read(buf, 0, Math.min(buf.length, left));
            if (n < 0) {
                throw new IOException("upload " + id + " ended after " + (length - left) + " of " + length + " bytes");
            }
            md.update(buf, 0, n);
            left -= n;
        }
        long last = System.nanoTime();
        byte[] digest = md.digest();
        out.write(digest);
        out.flush();
        upload(id).complete(new Transfer(length, first, last, payload.matches(length, digest)));
    }

    private void send(OutputStream out, int length) throws IOException {
        byte[] data = payload.bytes();
        for (int off = 0; off < length; off += WRITE_CHUNK) {
            out.write(data, off, Math.min(WRITE_CHUNK, length - off));
        }
        out.flush();
    }

    private static void drainUntilClosed(InputStream in) throws IOException {
        byte[] buf = new byte[1024];
        while (in.read(buf) >= 0) {
            // the client closes when it has what it needs
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
