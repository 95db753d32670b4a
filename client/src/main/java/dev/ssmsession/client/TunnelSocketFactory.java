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
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link SocketFactory} for libraries that accept one (JDBC drivers, HTTP clients): every socket
 * reaches the host and port it is connected to as seen from the target instance. The first socket
 * to a host:port starts an {@code AWS-StartPortForwardingSessionToRemoteHost} session; later ones
 * are further smux streams in it. {@link #close()} ends all sessions (open sockets die with them).
 *
 * <p>Local binding, listening and urgent data are not supported; {@code SO_TIMEOUT} is honoured.
 */
public final class TunnelSocketFactory extends SocketFactory implements AutoCloseable {
    private final SessionManager manager;
    private final String target;
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private volatile boolean closed;

    TunnelSocketFactory(SessionManager manager, String target) {
        this.manager = manager;
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
        if (closed) {
            throw new IOException("socket factory for " + target + " is closed");
        }
        String key = host + ":" + port;
        try {
            Session s = sessions.computeIfAbsent(key, k -> manager.start(SessionRequest.portForwarding(target, host, port)));
            if (s.ended().isDone()) {
                // A session that ended (idle timeout, closed by the service) is replaced.
                sessions.remove(key, s);
                return sessionFor(host, port);
            }
            return s;
        } catch (SessionException e) {
            throw new IOException("cannot open a tunnel to " + key + " through " + target + ": " + e.getMessage(), e);
        }
    }

    public String target() {
        return target;
    }

    @Override
    public void close() {
        closed = true;
        List<Session> all = new ArrayList<>(sessions.values());
        sessions.clear();
        for (Session s : all) {
            s.close();
        }
    }
}
