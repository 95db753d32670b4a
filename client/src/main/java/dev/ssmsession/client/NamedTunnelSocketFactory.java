package dev.ssmsession.client;

import javax.net.SocketFactory;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link SocketFactory} that drivers can instantiate by class name, delegating to a
 * {@link TunnelSocketFactory} registered under a name. JDBC drivers take a factory class name and
 * a string argument (PostgreSQL: {@code socketFactory} + {@code socketFactoryArg}) and construct
 * it reflectively, so an instance cannot be passed in; this small registry is the bridge.
 *
 * <pre>{@code
 * NamedTunnelSocketFactory.register("orders-db", manager.socketFactory("i-0123456789abcdef0"));
 * DriverManager.getConnection("jdbc:postgresql://orders.cluster-x.eu-west-1.rds.amazonaws.com:5432/orders"
 *         + "?socketFactory=dev.ssmsession.client.NamedTunnelSocketFactory&socketFactoryArg=orders-db", props);
 * }</pre>
 */
public final class NamedTunnelSocketFactory extends SocketFactory {
    private static final Map<String, TunnelSocketFactory> REGISTRY = new ConcurrentHashMap<>();

    private final String name;

    /** Looks up {@code name}; the driver passes its {@code socketFactoryArg} here. */
    public NamedTunnelSocketFactory(String name) {
        this.name = Objects.requireNonNull(name, "name");
        if (!REGISTRY.containsKey(name)) {
            throw new IllegalArgumentException("no TunnelSocketFactory registered as '" + name
                    + "'; call NamedTunnelSocketFactory.register(\"" + name + "\", manager.socketFactory(target)) first");
        }
    }

    /** Makes {@code factory} available to drivers under {@code name} (replacing any previous one). */
    public static void register(String name, TunnelSocketFactory factory) {
        REGISTRY.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(factory, "factory"));
    }

    /** Removes the registration; sockets already open are not affected. */
    public static void unregister(String name) {
        REGISTRY.remove(name);
    }

    private TunnelSocketFactory delegate() throws IOException {
        TunnelSocketFactory f = REGISTRY.get(name);
        if (f == null) {
            throw new IOException("TunnelSocketFactory '" + name + "' was unregistered");
        }
        return f;
    }

    @Override
    public Socket createSocket() throws IOException {
        return delegate().createSocket();
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        return delegate().createSocket(host, port);
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        return delegate().createSocket(host, port, localHost, localPort);
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        return delegate().createSocket(host, port);
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
        return delegate().createSocket(address, port, localAddress, localPort);
    }
}
