package dev.ssmsession.client;

import dev.ssmsession.client.SessionException.Reason;
import dev.ssmsession.client.internal.LocalSocketBridge;
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
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.function.Function;

/**
 * A local listener whose connections are carried to the session's destination port: many at once
 * in smux mode, one after the other in basic mode (SPEC §8.2–§8.4). Binds 127.0.0.1 unless told
 * otherwise; port 0 picks an ephemeral port, see {@link #localAddress()}. With
 * {@link Options#withSessions(int)} the connections are spread over several sessions (each connection stays on
 * one), see {@link SessionPool}.
 *
 * <p>{@link #close()} stops listening, closes every connection, sends the TerminateSession flag
 * and calls {@code TerminateSession}.
 */
public final class PortForward implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PortForward.class);

    /** Most sessions one forward may stripe over. */
    public static final int MAX_SESSIONS = 32;

    /**
     * Where to listen and whom to tell: a TCP port on {@code bindAddress}, or a unix domain socket
     * at {@code unixSocket} (SPEC §8.3 {@code localConnectionType unix}) when that is set; how many sessions
     * connections are spread over ({@code sessions}, opened as connections overlap; only for forwards the
     * {@link SessionManager} starts) and how long an extra session may sit without connections before it is closed
     * ({@code idleTimeout}, {@link Duration#ZERO}: never).
     */
    public record Options(InetAddress bindAddress, int localPort, Path unixSocket, PortForwardListener listener,
                          int sessions, Duration idleTimeout) {
        public Options {
            Objects.requireNonNull(bindAddress, "bindAddress");
            if (localPort < 0 || localPort > 65535) {
                throw new IllegalArgumentException("localPort must be 0..65535, got " + localPort);
            }
            Objects.requireNonNull(listener, "listener");
            if (sessions < 1 || sessions > MAX_SESSIONS) {
                throw new IllegalArgumentException("sessions must be 1.." + MAX_SESSIONS + ", got " + sessions);
            }
            Objects.requireNonNull(idleTimeout, "idleTimeout");
            if (idleTimeout.isNegative()) {
                throw new IllegalArgumentException("idleTimeout must not be negative, got " + idleTimeout);
            }
        }

        /** A TCP listener on {@code bindAddress}:{@code localPort}, one session. */
        public Options(InetAddress bindAddress, int localPort, PortForwardListener listener) {
            this(bindAddress, localPort, null, listener, 1, TunnelSocketFactory.DEFAULT_IDLE_TIMEOUT);
        }

        /** 127.0.0.1, an ephemeral port, no listener, one session. */
        public static Options defaults() {
            return new Options(InetAddress.getLoopbackAddress(), 0, new PortForwardListener() { });
        }

        public Options withLocalPort(int port) {
            return new Options(bindAddress, port, unixSocket, listener, sessions, idleTimeout);
        }

        public Options withBindAddress(InetAddress address) {
            return new Options(address, localPort, unixSocket, listener, sessions, idleTimeout);
        }

        /** Listen on a unix domain socket at {@code path} instead (it must not exist; removed on close). */
        public Options withUnixSocket(Path path) {
            return new Options(bindAddress, localPort, path, listener, sessions, idleTimeout);
        }

        public Options withListener(PortForwardListener l) {
            return new Options(bindAddress, localPort, unixSocket, l, sessions, idleTimeout);
        }

        /**
         * Spread connections over up to {@code n} sessions (default 1, as the Go plugin). Each session is capped by
         * the service at about 1000 messages a second each way, so n sessions carry about n times as much; a single
         * connection always stays on one session.
         */
        public Options withSessions(int n) {
            return new Options(bindAddress, localPort, unixSocket, listener, n, idleTimeout);
        }

        /** How long a session beyond the first may carry no connection before it is closed (default 5 min). */
        public Options withIdleTimeout(Duration timeout) {
            return new Options(bindAddress, localPort, unixSocket, listener, sessions, timeout);
        }
    }

    /**
     * What a forward carried so far.
     *
     * @param sessions         sessions open or starting now
     * @param sessionsOpened   sessions opened since the start (replacements and reopened extras included)
     * @param connections      connections open now
     * @param connectionsTotal connections opened since the start
     * @param bytesSent        bytes from local clients to the destination
     * @param bytesReceived    bytes from the destination to local clients
     */
    public record Stats(int sessions, int sessionsOpened, int connections, long connectionsTotal, long bytesSent,
                        long bytesReceived) {
    }

    private final ServerSocketChannel server;
    private final SocketAddress bound;
    private final Options options;
    private final SessionPool pool;
    private final Session first;
    private final Set<SocketChannel> open = ConcurrentHashMap.newKeySet();
    private final boolean ownsSessions;
    private final Runnable onClose;
    private final CompletableFuture<SessionEnd> ended;
    private volatile boolean closed;

    /**
     * Binds the listener first (a busy port must not cost a session), then asks {@code sessions} for the pool with
     * its first session open.
     *
     * @param ownsSessions {@link #close()} also ends the sessions (the manager started them for this forward)
     * @param onClose      runs once this forward is closed (its listener stops hearing of the session)
     */
    PortForward(Options options, Function<String, SessionPool> sessions, ExecutorService io, boolean ownsSessions,
                Runnable onClose) {
        this.options = options;
        this.ownsSessions = ownsSessions;
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
            throw new SessionException(Reason.CONFIGURATION, "cannot listen on " + describe(where) + ": "
                    + e.getMessage(), e);
        }
        try {
            this.pool = sessions.apply(describe(bound));
        } catch (RuntimeException e) {
            closeQuietly(server);
            removeUnixSocket();
            throw e;
        }
        this.first = pool.openSessions().get(0);
        if (options.sessions() == 1) {
            // One session, as the Go plugin: the forward ends with it.
            this.ended = first.ended();
        } else {
            // Sessions come and go (replaced when they fail, closed when idle): the forward ends when it is closed.
            this.ended = new CompletableFuture<>();
        }
        ended.whenComplete((end, err) -> closeLocal());
        io.execute(() -> acceptLoop(io));
    }

    private static String describe(SocketAddress a) {
        return a instanceof InetSocketAddress i ? i.getAddress().getHostAddress() + ":" + i.getPort() : a.toString();
    }

    private void acceptLoop(ExecutorService io) {
        while (!closed) {
            SocketChannel ch;
            try {
                ch = server.accept();
            } catch (IOException e) {
                if (!closed) {
                    log.warn("Port forward on {} stopped accepting: {}", describe(bound), e.getMessage());
                }
                return;
            }
            open.add(ch);
            if (closed) {
                open.remove(ch);
                closeQuietly(ch);
                return;
            }
            if (options.sessions() == 1) {
                // One connection at a time in basic mode (SPEC §8.3): the next is accepted once this one is placed.
                place(ch, io);
            } else {
                io.execute(() -> place(ch, io));  // placing may wait for another session to start
            }
        }
    }

    private void place(SocketChannel ch, ExecutorService io) {
        SocketAddress client = remoteAddress(ch);
        if (first.isReconnecting() && options.sessions() == 1) {
            // Its stream is queued with the session's other data and goes out once the channel is back;
            // if reconnecting gives up, the session ends and this connection is closed with it.
            log.info("Connection from {} to the forward of session {} waits for the data channel, which is "
                    + "reconnecting", client, first.sessionId());
        }
        SessionPool.Pooled tunnel;
        try {
            tunnel = pool.connect();
        } catch (IOException e) {
            open.remove(ch);
            closeQuietly(ch);
            if (!closed) {
                log.warn("Connection from {} to {} not carried: {}", client, describe(bound), e.getMessage());
                SessionException why = e.getCause() instanceof SessionException se ? se
                        : new SessionException(Reason.SERVICE, e.getMessage(), e);
                options.listener().onConnectionFailed(client, why);
                if (options.sessions() > 1 && pool.sessions() == 0) {
                    ended.completeExceptionally(why);  // no session left and none can be opened
                }
            }
            return;
        }
        options.listener().onConnectionOpened(client);
        LocalSocketBridge.start(ch, tunnel, io,
                e -> options.listener().onConnectionFailed(client,
                        new SessionException(Reason.SERVICE, e.getMessage(), e)),
                () -> {
                    open.remove(ch);
                    options.listener().onConnectionClosed(client, tunnel.bytesUp(), tunnel.bytesDown(), tunnel.age());
                });
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

    /** The session this forward started with (with {@link Options#withSessions} above 1, the first of several). */
    public String sessionId() {
        return first.sessionId();
    }

    /** Local connections currently open. */
    public int openConnections() {
        return open.size();
    }

    /** What the forward carried so far, and over how many sessions. */
    public Stats stats() {
        return pool.stats();
    }

    /** The sessions open now. */
    public List<Session> sessions() {
        return pool.openSessions();
    }

    /**
     * Completes when the forward ends: with one session, when that session ends (normally or with its failure); with
     * several, when {@link #close()} is called, or exceptionally once no session is left and none can be opened.
     */
    public CompletableFuture<SessionEnd> ended() {
        return ended;
    }

    /** The session this forward started with. */
    public Session session() {
        return first;
    }

    private synchronized void closeLocal() {
        if (closed) {
            return;
        }
        closed = true;
        closeQuietly(server);  // stop listening first: onClose may wait on the network
        onClose.run();
        for (SocketChannel c : open) {
            closeQuietly(c);
        }
        removeUnixSocket();
    }

    private void removeUnixSocket() {
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
     * started also ends its sessions ({@code TerminateSession}). One made by {@link Session#forwardPort} leaves the
     * session and any other forward on it alone.
     */
    @Override
    public void close() {
        closeLocal();
        if (ownsSessions) {
            pool.close();
        }
        if (!ended.isDone() && options.sessions() > 1) {
            ended.complete(new SessionEnd(first.sessionId(), OptionalInt.empty(),
                    "Port forward on " + describe(bound) + " closed by this client.", true));
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
        return "PortForward[" + bound + " → " + pool + "]";
    }
}
