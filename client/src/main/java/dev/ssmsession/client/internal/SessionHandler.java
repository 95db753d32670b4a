package dev.ssmsession.client.internal;

import dev.ssmsession.client.SessionEnd;
import dev.ssmsession.client.SessionException;
import dev.ssmsession.protocol.channel.Delivery;
import dev.ssmsession.protocol.message.PayloadType;

import java.util.OptionalLong;

/**
 * A session kind plugged into a {@link ChannelSession}. Every method runs with the session lock
 * held (inside an engine callback or a session call) and must not block or do I/O: hand bytes to
 * buffers or writer threads and return.
 */
public interface SessionHandler {
    /** The handshake finished (or a handshake-less shell started); the handler may send now. */
    default void onStart() {
    }

    /**
     * A payload of the agent's stream, in order and decrypted.
     *
     * @return {@link Delivery#NOT_READY} to have it resent later (the handler's buffer is full)
     */
    Delivery onPayload(PayloadType type, byte[] payload);

    /** Room opened for more output after an offer fell short. */
    default void onWritable() {
    }

    /** When {@link #tick()} is due next (e.g. smux keepalive), on the session's nanosecond scale. */
    default OptionalLong nextDeadlineNanos() {
        return OptionalLong.empty();
    }

    /** Does what {@link #nextDeadlineNanos()} asked for. */
    default void tick() {
    }

    /** The session is over: {@code end} on a clean end, {@code failure} otherwise (exactly one is non-null). */
    void onEnd(SessionEnd end, SessionException failure);
}
