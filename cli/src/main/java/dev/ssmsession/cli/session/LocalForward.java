package dev.ssmsession.cli.session;

import java.net.SocketAddress;
import java.util.concurrent.CompletableFuture;

/** A running forward: a local listener whose connections are carried to the remote port. */
public interface LocalForward extends AutoCloseable {
    /** What is bound: a TCP address, or a unix domain socket. */
    SocketAddress localAddress();

    /** The first session's id (a forward over several sessions opens more as connections overlap). */
    String sessionId();

    /** What the forward carried so far, for the status line. */
    dev.ssmsession.client.PortForward.Stats stats();

    /** Whether one of its sessions is re-establishing its data channel right now. */
    boolean reconnecting();

    /** Completes when the forward has ended (the service closed it, or it broke: exceptionally). */
    CompletableFuture<Void> completion();

    /** Closes the listener and its connections and terminates the sessions. */
    @Override
    void close();
}
