package dev.ssmsession.client.internal;

import java.io.IOException;

/**
 * One TCP connection carried through a port session: a smux stream, or the basic-mode channel.
 * Reading and writing block; {@link #consumed} releases receive credit once the reader has passed
 * bytes on (a local socket write completed, or the bytes reached the caller's buffer).
 */
public interface TunnelConnection extends AutoCloseable {
    /**
     * @param timeoutMillis 0 waits forever, else {@link java.net.SocketTimeoutException} after that long
     * @return bytes read, -1 once the destination closed the connection
     * @throws IOException when the connection failed (e.g. ConnectToPortError) or the session ended
     */
    int read(byte[] b, int off, int len, int timeoutMillis) throws IOException;

    /** The reader passed {@code n} bytes on. */
    void consumed(int n);

    int available();

    /** Sends bytes to the destination; blocks under backpressure. */
    void write(byte[] b, int off, int len) throws IOException;

    /** Ends this connection only (FIN, or DisconnectToPort in basic mode). Idempotent. */
    @Override
    void close();
}
