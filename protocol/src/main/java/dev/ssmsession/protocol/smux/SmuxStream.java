package dev.ssmsession.protocol.smux;

import java.util.Objects;

/**
 * One smux stream of a {@link SmuxSession}. Not thread-safe: call it under the same lock as its
 * session. Events arrive at the {@link SmuxStreamListener} given when the stream was opened or
 * accepted.
 */
public final class SmuxStream {
    /** xtaci/smux {@code initialPeerWindow}: what a v2 sender may have in flight before the first UPD. */
    static final long INITIAL_PEER_WINDOW = 262144;

    private final SmuxSession session;
    private final long id;
    SmuxStreamListener listener;
    boolean closed;
    boolean remoteFinished;

    /** Bytes delivered to the listener and not yet consumed. */
    long unconsumed;
    /** v2 receive side: total bytes consumed, and consumed since the last UPD. */
    long numRead;
    long incr;
    /** v2 send side: total bytes sent, and the peer's last UPD. */
    long numWritten;
    long peerConsumed;
    long peerWindow = INITIAL_PEER_WINDOW;

    SmuxStream(SmuxSession session, long id) {
        this.session = session;
        this.id = id;
    }

    /** The unsigned 32-bit stream id: odd when the client opened it, even for the server. */
    public long id() {
        return id;
    }

    /** Whether neither side nor the session has closed the stream yet (a received FIN does not close it). */
    public boolean isOpen() {
        return !closed;
    }

    /** Whether the peer sent FIN. */
    public boolean isRemoteFinished() {
        return remoteFinished;
    }

    /**
     * Sends as much of {@code b[off..off+len)} as flow control allows, split into PSH frames of at
     * most the max frame size. Never drops and never queues: what is not accepted stays with the
     * caller, who gets {@link SmuxStreamListener#onWritable} when more may be accepted.
     *
     * @return bytes accepted; 0 means wait (v2 peer window exhausted or the session's outgoing
     *         buffer full), and always 0 for {@code len == 0}
     * @throws SmuxException if the stream or session is closed
     */
    public int write(byte[] b, int off, int len) {
        Objects.checkFromIndexSize(off, len, b.length);
        return session.write(this, b, off, len);
    }

    /**
     * Reports that {@code n} bytes delivered by {@link SmuxStreamListener#onData} have been written
     * onward. Only this releases receive credit: v2 UPD to the peer, v1 session receive bucket.
     * Ignored after the stream is closed (closing already released its credit).
     *
     * @throws IllegalArgumentException if {@code n} is negative or more than delivered and unconsumed
     */
    public void consumed(int n) {
        session.consumed(this, n);
    }

    /** Sends FIN (once) and forgets the stream; later data for it is discarded. Idempotent. */
    public void close() {
        session.closeStream(this);
    }

    /** v2: bytes in flight, in uint32 modular arithmetic read as int32 like xtaci/smux. */
    private int inflight() {
        return (int) (numWritten - peerConsumed);
    }

    /** v2: the peer's UPD claims more consumed than was ever sent (Go: ErrConsumed). */
    boolean peerOverConsumed() {
        return inflight() < 0;
    }

    /** v2: bytes the peer's window allows in flight now. */
    long sendWindowAvailable() {
        return Math.max(0, (long) (int) peerWindow - inflight());
    }

    @Override
    public String toString() {
        return "SmuxStream[id=" + id + (closed ? ", closed" : ", open") + (remoteFinished ? ", remote FIN" : "") + "]";
    }
}
