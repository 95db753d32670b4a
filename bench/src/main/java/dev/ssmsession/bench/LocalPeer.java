package dev.ssmsession.bench;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** The local application using the forward: it connects to the forward's port and moves bytes. */
final class LocalPeer {
    /** How the application writes an upload. */
    enum Sender {
        /** 64 KiB writes as fast as the socket takes them: the client alone decides the pace. */
        BULK,
        /**
         * The Go plugin's send loop (SPEC §6.6), done by the application because the client has no
         * sleep to switch on: 1016 bytes, then a 1 ms sleep. With the smux header (8 bytes) each
         * write becomes one 1024-byte Output message when the client runs unpaced.
         */
        GO_LOOP
    }

    static final int GO_LOOP_WRITE = 1024 - 8;
    private static final int SOCKET_TIMEOUT_MILLIS = 60_000;
    private static final int BULK_WRITE = 64 * 1024;

    private final Payload payload;
    private final RemoteEndpoint remote;

    LocalPeer(Payload payload, RemoteEndpoint remote) {
        this.payload = payload;
        this.remote = remote;
    }

    Transfer upload(InetSocketAddress forward, long id, int length, Sender sender, Duration timeout)
            throws IOException, InterruptedException {
        try (Socket s = connect(forward)) {
            OutputStream out = s.getOutputStream();
            header(out, RemoteEndpoint.UPLOAD, id, length);
            byte[] data = payload.bytes();
            int step = sender == Sender.GO_LOOP ? GO_LOOP_WRITE : BULK_WRITE;
            for (int off = 0; off < length; off += step) {
                out.write(data, off, Math.min(step, length - off));
                if (sender == Sender.GO_LOOP) {
                    Thread.sleep(1);
                }
            }
            out.flush();
            byte[] digest = s.getInputStream().readNBytes(32);
            Transfer t = remote.upload(id).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return new Transfer(t.bytes(), t.firstNanos(), t.lastNanos(), t.verified() && payload.matches(length, digest));
        } catch (ExecutionException e) {
            throw new IOException("upload " + id + " failed at the remote end: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new IOException("upload " + id + " did not finish within " + timeout, e);
        }
    }

    Transfer download(InetSocketAddress forward, long id, int length) throws IOException {
        try (Socket s = connect(forward)) {
            header(s.getOutputStream(), RemoteEndpoint.DOWNLOAD, id, length);
            InputStream in = s.getInputStream();
            MessageDigest md = Payload.newDigest();
            byte[] buf = new byte[64 * 1024];
            long first = 0;
            int left = length;
            while (left > 0) {
                int n = in.read(buf, 0, Math.min(buf.length, left));
                if (n < 0) {
                    throw new IOException("download " + id + " ended after " + (length - left) + " of " + length + " bytes");
                }
                if (left == length) {
                    first = System.nanoTime();
                }
                md.update(buf, 0, n);
                left -= n;
            }
            long last = System.nanoTime();
            return new Transfer(length, first, last, payload.matches(length, md.digest()));
        }
    }

    private static Socket connect(InetSocketAddress forward) throws IOException {
        Socket s = new Socket(forward.getAddress(), forward.getPort());
        s.setSoTimeout(SOCKET_TIMEOUT_MILLIS);
        s.setTcpNoDelay(true);
        return s;
    }

    private static void header(OutputStream out, byte mode, long id, long length) throws IOException {
        DataOutputStream d = new DataOutputStream(out);
        d.writeByte(mode);
        d.writeLong(id);
        d.writeLong(length);
        d.flush();
    }
}
