package dev.ssmsession.client;

import dev.ssmsession.client.SessionException.Reason;
import dev.ssmsession.client.internal.LocalSocketBridge;
import dev.ssmsession.client.internal.PortSessionHandler;
import dev.ssmsession.client.internal.TunnelConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketAddress;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;

/**
 * A local listener whose connections are carried to the session's destination port: many at once
 * in smux mode, one after the other in basic mode (SPEC §8.2–§8.4). Binds 127.0.0.1 unless told
 * otherwise; port 0 picks an ephemeral port, see {@link #localAddress()}.
 *
 * <p>{@link #close()} stops listening, closes every connection, sends the TerminateSession flag
 * and calls {@code TerminateSession}.
 */
public final class PortForward implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PortForward.class);

    /** Where to listen and whom to tell. */
    public record Options(InetAddress bindAddress, int localPort, PortForwardListener listener) {
        public Options {
            Objects.requireNonNull(bindAddress, "bindAddress");
            if (localPort < 0 || localPort > 65535) {
                throw new IllegalArgumentException("localPort must be 0..65535, got " + localPort);
            }
            Objects.requireNonNull(listener, "listener");
        }

        /** 127.0.0.1, an ephemeral port, no listener. */
        public static Options defaults() {
            return new Options(InetAddress.getLoopbackAddress(), 0, new PortForwardListener() { });
        }

        public Options withLocalPort(int port) {
            return new Options(bindAddress, port, listener);
        }

        public Options withBindAddress(InetAddress address) {
            return new Options(address, localPort, listener);
        }

        public Options withListener(PortForwardListener l) {
            return new Options(bindAddress, localPort, l);
        }
    }

    private final Session session;
    private final ServerSocket server;
    private final Options options;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    PortForward(Session session, PortSessionHandler handler, Options options, ExecutorService io) {
        this.session = session;
        this.options = options;
        try {
            this.server = new ServerSocket();
            server.setReuseAddress(true);
            server.bind(new InetSocketAddress(options.bindAddress(), options.localPort()), 50);
        } catch (IOException e) {
            throw new SessionException(Reason.CONFIGURATION, "cannot listen on " + options.bindAddress().getHostAddress()
                    + ":" + options.localPort() + " for session " + session.sessionId() + ": " + e.getMessage(), e);
        }
        io.execute(() -> acceptLoop(handler, io));
        session.ended().whenComplete((end, err) -> closeLocal());
    }

    private void acceptLoop(PortSessionHandler handler, ExecutorService io) {
        while (!closed) {
            Socket s;
            try {
                s = server.accept();
            } catch (IOException e) {
                if (!closed) {
                    log.warn("Port forward of session {} stopped accepting: {}", session.sessionId(), e.getMessage());
                }
                return;
            }
            SocketAddress client = s.getRemoteSocketAddress();
            TunnelConnection tunnel;
            try {
                // Basic mode: blocks until the previous connection is done (SPEC §8.3).
                tunnel = handler.connect();
            } catch (IOException e) {
                closeQuietly(s);
                return;
            }
            open.add(s);
            options.listener().onConnectionOpened(client);
            LocalSocketBridge.start(s, tunnel, io,
                    e -> options.listener().onConnectionFailed(client,
                            new SessionException(Reason.SERVICE, e.getMessage(), e)),
                    () -> {
                        open.remove(s);
                        options.listener().onConnectionClosed(client);
                    });
        }
    }

    /** The address actually bound (the ephemeral port when 0 was asked for). */
    public InetSocketAddress localAddress() {
        return (InetSocketAddress) server.getLocalSocketAddress();
    }

    public String sessionId() {
        return session.sessionId();
    }

    /** Local connections currently open. */
    public int openConnections() {
        return open.size();
    }

    public CompletableFuture<SessionEnd> ended() {
        return session.ended();
    }

    public Session session() {
        return session;
    }

    private void closeLocal() {
        closed = true;
        closeQuietly(server);
        for (Socket s : open) {
            closeQuietly(s);
        }
    }

    @Override
    public void close() {
        closeLocal();
        session.close();
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // closing anyway
        }
    }

    @Override
    public String toString() {
        return "PortForward[" + localAddress() + " → session " + session.sessionId() + "]";
    }
}
