package dev.ssmsession.client;

import java.net.SocketAddress;
import java.time.Duration;

/**
 * Events of a {@link PortForward}, called on the forward's own threads. Implementations must be
 * quick and must not throw.
 */
public interface PortForwardListener {
    /** A local client connected and its tunnel is open. */
    default void onConnectionOpened(SocketAddress client) {
    }

    /**
     * The destination side of one connection failed — typically the agent could not connect to
     * the destination port (ConnectToPortError, SPEC §8.4). The local socket has been closed.
     * {@code client} is null when the agent's report could not be tied to a connection (the flag
     * names none; it is matched to the oldest connection that has not received data yet).
     */
    default void onConnectionFailed(SocketAddress client, SessionException error) {
    }

    /**
     * A connection ended (either side closed it).
     *
     * @param bytesSent     bytes the local client sent to the destination
     * @param bytesReceived bytes the destination sent to the local client
     * @param duration      how long the connection was open
     */
    default void onConnectionClosed(SocketAddress client, long bytesSent, long bytesReceived, Duration duration) {
    }
}
