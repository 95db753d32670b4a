package dev.ssmsession.protocol.smux;

import java.util.Optional;

/**
 * Events of one {@link SmuxStream}. Called synchronously from the session's methods under the
 * owner's lock: must not block. Calling back into the stream or session (write, consumed, close,
 * even onInput) is allowed. An exception thrown while the session handles input fails the session
 * with that exception as the cause.
 */
public interface SmuxStreamListener {

    /**
     * Bytes from the peer, in order. The array is not reused by the session; the listener may keep
     * it. Call {@link SmuxStream#consumed(int)} once the bytes have been written onward: only then
     * does the session release receive credit (v2 UPD, v1 session bucket).
     */
    void onData(SmuxStream stream, byte[] data, int off, int len);

    /** The peer sent FIN: no more data will arrive. The stream stays writable until closed locally. */
    default void onEndOfStream(SmuxStream stream) {
    }

    /** A {@link SmuxStream#write} that accepted less than asked may now accept more. */
    default void onWritable(SmuxStream stream) {
    }

    /**
     * The stream is closed: exactly once, last. {@code error} is empty after a local close or a
     * session close, and holds the reason when the session failed.
     */
    default void onClosed(SmuxStream stream, Optional<SmuxException> error) {
    }
}
