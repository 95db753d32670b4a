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
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
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

    /**
     * Where to listen and whom to tell: a TCP port on {@code bindAddress}, or a unix domain socket
     * at {@code unixSocket} (SPEC §8.3 {@code localConnectionType unix}) when that is set.
     */
    public record Options(InetAddress bindAddress, int localPort, Path unixSocket, PortForwardListener listener) {
        public Options {
            Objects.requireNonNull(bindAddress, "bindAddress");
            if (localPort < 0 || localPort > 65535) {
                throw new IllegalArgumentException("localPort must be 0..65535, got " + localPort);
            }
            Objects.requireNonNull(listener, "listener");
        }

        /** A TCP listener on {@code bindAddress}:{@code localPort}. */
        public Options(InetAddress bindAddress, int localPort, PortForwardListener listener) {
            this(bindAddress, localPort, null, listener);
        }

        /** 127.0.0.1, an ephemeral port, no listener. */
        public static Options defaults() {
            return new Options(InetAddress.getLoopbackAddress(), 0, null, new PortForwardListener() { });
        }

        public Options withLocalPort(int port) {
            return new Options(bindAddress, port, unixSocket, listener);
        }

        public Options withBindAddress(InetAddress address) {
            return new Options(address, localPort, unixSocket, listener);
        }

        /** Listen on a unix domain socket at {@code path} instead (it must not exist; removed on close). */
        public Options withUnixSocket(Path path) {
            return new Options(bindAddress, localPort, path, listener);
        }

        public Options withListener(PortForwardListener l) {
            return new Options(bindAddress, localPort, unixSocket, l);
        }
    }

    private final Session session;
    private final ServerSocketChannel server;
    private final SocketAddress bound;
    private final Options options;
    private final Set<SocketChannel> open = ConcurrentHashMap.newKeySet();
    private final boolean ownsSession;
    private final Runnable onClose;
    private volatile boolean closed;

    /**
     * @param ownsSession {@link #close()} also ends the session
     * @param onClose     runs once this forward is closed (its listener stops hearing of the session)
     */
    PortForward(Session session, PortSessionHandler handler, Options options, ExecutorService io, boolean ownsSession,
                Runnable onClose) {
        this.session = session;
        this.options = options;
        this.ownsSession = ownsSession;
        this.onClose = onClose;
        SocketAddress where = options.unixSocket() != null
                ? UnixDomainSocketAddress.of(options.unixSocket())
                : new InetSocketAddress(options.bindAddress(), options.localPort());
        try {
            if (options.unixSocket() != null) {
                this.server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            } else {
                this.server = ServerSocketChannel.open();
                server.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            }
            server.bind(where, 50);
            this.bound = server.getLocalAddress();
        } catch (IOException e) {
            throw new SessionException(Reason.CONFIGURATION, "cannot listen on " + describe(where) + " for session "
                    + session.sessionId() + ": " + e.getMessage(), e);
        }
        io.execute(() -> acceptLoop(handler, io));
        session.ended().whenComplete((end, err) -> closeLocal());
    }

    private static String describe(SocketAddress a) {
        return a instanceof InetSocketAddress i ? i.getAddress().getHostAddress() + ":" + i.getPort() : a.toString();
    }

    private void acceptLoop(PortSessionHandler handler, ExecutorService io) {
        while (!closed) {
            SocketChannel ch;
            try {
                ch = server.accept();
            } catch (IOException e) {
                if (!closed) {
                    log.warn("Port forward of session {} stopped accepting: {}", session.sessionId(), e.getMessage());
                }
                return;
            }
            SocketAddress client = remoteAddress(ch);
            if (session.isReconnecting()) {
                // Its stream is queued with the session's other data and goes out once the channel is back;
                // if reconnecting gives up, the session ends and this connection is closed with it.
                log.info("Connection from {} to the forward of session {} waits for the data channel, which is "
                        + "reconnecting", client, session.sessionId());
            }
            TunnelConnection tunnel;
            try {
                // Basic mode: blocks until the previous connection is done (SPEC §8.3).
                tunnel = handler.connect();
            } catch (IOException e) {
                closeQuietly(ch);
                return;
            }
            open.add(ch);
            options.listener().onConnectionOpened(client);
            LocalSocketBridge.start(ch, tunnel, io,
                    e -> options.listener().onConnectionFailed(client,
                            new SessionException(Reason.SERVICE, e.getMessage(), e)),
                    () -> {
                        open.remove(ch);
                        options.listener().onConnectionClosed(client);
                    });
        }
    }

    private static SocketAddress remoteAddress(SocketChannel ch) {
        try {
            return ch.getRemoteAddress();
        } catch (IOException e) {
            return null;
        }
    }

    /** The TCP address actually bound (the ephemeral port when 0 was asked for). */
    public InetSocketAddress localAddress() {
        if (!(bound instanceof InetSocketAddress i)) {
            throw new IllegalStateException("this forward listens on a unix domain socket: " + bound);
        }
        return i;
    }

    /** What is bound: an {@link InetSocketAddress} or a {@link UnixDomainSocketAddress}. */
    public SocketAddress localSocketAddress() {
        return bound;
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

    private synchronized void closeLocal() {
        if (closed) {
            return;
        }
        closed = true;
        onClose.run();
        closeQuietly(server);
        for (SocketChannel c : open) {
            closeQuietly(c);
        }
        if (options.unixSocket() != null) {
            try {
                Files.deleteIfExists(options.unixSocket());
            } catch (IOException e) {
                log.debug("could not remove {}: {}", options.unixSocket(), e.getMessage());
            }
        }
    }

    /**
     * Stops listening and closes this forward's connections; a forward that {@link SessionManager#forwardPort}
     * started also ends its session ({@code TerminateSession}). One made by {@link Session#forwardPort} leaves the
     * session and any other forward on it alone.
     */
    @Override
    public void close() {
        closeLocal();
        if (ownsSession) {
            session.close();
        }
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
        return "PortForward[" + bound + " → session " + session.sessionId() + "]";
    }
}
