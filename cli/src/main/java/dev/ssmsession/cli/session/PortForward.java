package dev.ssmsession.cli.session;

import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;

/** A running forward: a local listener whose connections are carried to the remote port. */
public interface PortForward extends AutoCloseable {
    InetSocketAddress localAddress();

    String sessionId();

    /** Completes when the session has ended (the service closed it, or it broke: exceptionally). */
    CompletableFuture<Void> completion();

    /** Closes the listener and its connections and terminates the session. */
    @Override
    void close();
}
