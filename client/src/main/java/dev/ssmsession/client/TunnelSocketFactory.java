package dev.ssmsession.client;

import dev.ssmsession.client.internal.TunnelSocketImpl;

import javax.net.SocketFactory;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;

/**
 * A {@link SocketFactory} for libraries that accept one (JDBC drivers, HTTP clients): every socket
 * reaches the host and port it is connected to as seen from the target instance. The first socket
 * to a host:port starts an {@code AWS-StartPortForwardingSessionToRemoteHost} session; later ones
 * are further smux streams in it. {@link #close()} ends all sessions (open sockets die with them).
 *
 * <p>Local binding, listening and urgent data are not supported; {@code SO_TIMEOUT} is honoured.
 */
public final class TunnelSocketFactory extends SocketFactory implements AutoCloseable {
    private final Function<SessionRequest, Session> start;
    private final String target;
    /**
     * One session per host:port, as a future: it is started outside the map (StartSession and the connect take
     * seconds, and a destination that is slow or down must not hold up sockets to others), callers of the same
     * host:port wait for the same start, and a failed start is evicted so that the next socket tries again.
     */
    private final Map<String, CompletableFuture<Session>> sessions = new ConcurrentHashMap<>();
    private volatile boolean closed;

    TunnelSocketFactory(SessionManager manager, String target) {
        this(manager::start, target);
    }

    /** @param start starts a session for a request (the manager's {@link SessionManager#start}; tests script it) */
    TunnelSocketFactory(Function<SessionRequest, Session> start, String target) {
        this.start = start;
        this.target = target;
    }
    /** An unconnected socket; {@code connect(InetSocketAddress.createUnresolved(host, port))} opens the tunnel. */
    @Override
    public Socket createSocket() throws IOException {
        return new TunnelSocket(new TunnelSocketImpl((host, port) -> {
            Session s = sessionFor(host, port);
            return s.portsForSocket().connect();
        }, () -> { }));
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

    /** The session to {@code host:port}, started on first use; a SessionException is the cause of the IOException. */
    Session sessionFor(String host, int port) throws IOException {
        String key = host + ":" + port;
        while (true) {
            if (closed) {
                throw new IOException("socket factory for " + target + " is closed");
            }
            CompletableFuture<Session> mine = new CompletableFuture<>();
            CompletableFuture<Session> f = sessions.putIfAbsent(key, mine);
            if (f == null) {
                f = mine;
                startInto(mine, key, host, port);
            }
            Session s = await(f, key);
            if (!s.isEnded()) {
                return s;
            }
            // A session that ended (idle timeout, closed by the service) is replaced.
            sessions.remove(key, f);
        }
    }

    private void startInto(CompletableFuture<Session> f, String key, String host, int port) {
        try {
            Session s = start.apply(SessionRequest.portForwarding(target, host, port));
            f.complete(s);
            if (closed) {
                s.close();  // close() ran meanwhile and did not see this one
            }
        } catch (RuntimeException e) {
            sessions.remove(key, f);
            f.completeExceptionally(e);
        }
    }

    private Session await(CompletableFuture<Session> f, String key) throws IOException {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while opening a tunnel to " + key + " through " + target);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof SessionException se) {
                throw new IOException("cannot open a tunnel to " + key + " through " + target + ": " + se.getMessage(), se);
            }
            throw new IOException("cannot open a tunnel to " + key + " through " + target + ": " + cause, cause);
        }
    }

    public String target() {
        return target;
    }

    @Override
    public void close() {
        closed = true;
        List<CompletableFuture<Session>> all = new ArrayList<>(sessions.values());
        sessions.clear();
        for (CompletableFuture<Session> f : all) {
            Session s = f.isDone() && !f.isCompletedExceptionally() ? f.join() : null;
            if (s != null) {
                s.close();
            }
            // one still starting is closed by its starter, which sees closed
        }
    }
}
