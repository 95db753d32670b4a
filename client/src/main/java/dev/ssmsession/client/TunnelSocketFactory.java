package dev.ssmsession.client;

import dev.ssmsession.client.internal.TunnelSocketImpl;

import javax.net.SocketFactory;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Function;

/**
 * A {@link SocketFactory} for libraries that accept one (JDBC drivers, HTTP clients): every socket
 * reaches the host and port it is connected to as seen from the target instance. The first socket
 * to a host:port starts an {@code AWS-StartPortForwardingSessionToRemoteHost} session; later ones
 * are further smux streams in it, or, with {@link Options#sessionsPerDestination()} above 1, spread over up to that
 * many sessions (each socket stays on one). A session that carried no socket for {@link Options#idleTimeout()} is
 * closed and reopened on the next socket. {@link #close()} ends all sessions (open sockets die with them).
 *
 * <p>Local binding, listening and urgent data are not supported; {@code SO_TIMEOUT} is honoured.
 */
public final class TunnelSocketFactory extends SocketFactory implements AutoCloseable {
    /** Default of {@link Options#idleTimeout()}. */
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofMinutes(5);

    /**
     * @param sessionsPerDestination at most this many sessions per host:port, opened as sockets overlap (default 1)
     * @param idleTimeout            a session with no socket for this long is closed ({@link Duration#ZERO}: never)
     */
    public record Options(int sessionsPerDestination, Duration idleTimeout) {
        public Options {
            if (sessionsPerDestination < 1 || sessionsPerDestination > PortForward.MAX_SESSIONS) {
                throw new IllegalArgumentException("sessionsPerDestination must be 1.." + PortForward.MAX_SESSIONS
                        + ", got " + sessionsPerDestination);
            }
            Objects.requireNonNull(idleTimeout, "idleTimeout");
            if (idleTimeout.isNegative()) {
                throw new IllegalArgumentException("idleTimeout must not be negative, got " + idleTimeout);
            }
        }

        /** One session per destination, closed after {@link #DEFAULT_IDLE_TIMEOUT} without sockets. */
        public static Options defaults() {
            return new Options(1, DEFAULT_IDLE_TIMEOUT);
        }

        public Options withSessionsPerDestination(int n) {
            return new Options(n, idleTimeout);
        }

        public Options withIdleTimeout(Duration timeout) {
            return new Options(sessionsPerDestination, timeout);
        }
    }

    private final Function<SessionRequest, Session> start;
    private final String target;
    private final Options options;
    private final ScheduledExecutorService scheduler;
    private final Executor io;
    /**
     * One pool per host:port. Creating one does no I/O (its sessions start on the I/O pool, outside this map), so a
     * destination that is slow or down never holds up sockets to others; a failed start is not cached.
     */
    private final Map<String, SessionPool> pools = new ConcurrentHashMap<>();
    private volatile boolean closed;

    TunnelSocketFactory(SessionManager manager, String target, Options options) {
        this(manager::start, target, options, manager.scheduler(), manager.io());
    }

    /** @param start starts a session for a request (the manager's {@link SessionManager#start}; tests script it) */
    TunnelSocketFactory(Function<SessionRequest, Session> start, String target, Options options,
                        ScheduledExecutorService scheduler, Executor io) {
        this.start = start;
        this.target = target;
        this.options = Objects.requireNonNull(options, "options");
        this.scheduler = scheduler;
        this.io = io;
    }

    /** An unconnected socket; {@code connect(InetSocketAddress.createUnresolved(host, port))} opens the tunnel. */
    @Override
    public Socket createSocket() throws IOException {
        return new TunnelSocket(new TunnelSocketImpl(this::connect, () -> { }));
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        Socket s = createSocket();
        s.connect(InetSocketAddress.createUnresolved(host, port));
        return s;
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        return createSocket(host, port);
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        return createSocket(host.getHostName(), port);
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
        return createSocket(address.getHostName(), port);
    }

    /**
     * A new connection to {@code host:port}, on the least-loaded of its sessions (started on first use). Why a
     * session could not be had is the IOException's cause, a {@link SessionException}.
     */
    SessionPool.Pooled connect(String host, int port) throws IOException {
        if (closed) {
            throw new IOException("socket factory for " + target + " is closed");
        }
        String key = host + ":" + port;
        SessionPool pool = pools.computeIfAbsent(key, k -> new SessionPool(k + " through " + target,
                () -> start.apply(SessionRequest.portForwarding(target, host, port)),
                options.sessionsPerDestination(), options.idleTimeout(), scheduler, io, System::nanoTime));
        if (closed) {
            pool.close();  // close() ran meanwhile and may not have seen this one
            throw new IOException("socket factory for " + target + " is closed");
        }
        return pool.connect();
    }

    /** What every destination's sessions carried so far (summed). */
    PortForward.Stats stats() {
        int sessions = 0;
        int opened = 0;
        int connections = 0;
        long total = 0;
        long up = 0;
        long down = 0;
        for (SessionPool p : pools.values()) {
            PortForward.Stats s = p.stats();
            sessions += s.sessions();
            opened += s.sessionsOpened();
            connections += s.connections();
            total += s.connectionsTotal();
            up += s.bytesSent();
            down += s.bytesReceived();
        }
        return new PortForward.Stats(sessions, opened, connections, total, up, down);
    }

    public String target() {
        return target;
    }

    @Override
    public void close() {
        closed = true;
        List<SessionPool> all = new ArrayList<>(pools.values());
        pools.clear();
        all.forEach(SessionPool::close);
    }
}
