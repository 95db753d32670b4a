package dev.ssmsession.client.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketImpl;
import java.net.SocketOptions;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The implementation behind an in-process tunnel {@link java.net.Socket}: connecting opens a
 * {@link TunnelConnection} through the session, streams read and write it (with real
 * backpressure and {@code SO_TIMEOUT}), closing ends the stream. Listening is not supported.
 */
public final class TunnelSocketImpl extends SocketImpl {
    /** Opens the tunnel for a destination the caller named. */
    @FunctionalInterface
    public interface Connector {
        TunnelConnection connect(String host, int port) throws IOException;
    }

    private final Connector connector;
    private final Runnable onClose;
    private final Map<Integer, Object> options = new HashMap<>();
    private volatile TunnelConnection tunnel;
    private volatile boolean closed;
    private InputStream in;
    private OutputStream out;

    /** @param onClose runs once when the socket closes (e.g. ends a session the socket owns) */
    public TunnelSocketImpl(Connector connector, Runnable onClose) {
        this.connector = Objects.requireNonNull(connector, "connector");
        this.onClose = Objects.requireNonNull(onClose, "onClose");
        options.put(SocketOptions.SO_TIMEOUT, 0);
        options.put(SocketOptions.TCP_NODELAY, Boolean.TRUE);
    }

    @Override
    protected void create(boolean stream) throws IOException {
        if (!stream) {
            throw new SocketException("tunnel sockets are stream sockets only");
        }
    }

    @Override
    protected void connect(String host, int port) throws IOException {
        open(host, port);
    }

    @Override
    protected void connect(InetAddress address, int port) throws IOException {
        open(address.getHostName(), port);
    }

    @Override
    protected void connect(SocketAddress address, int timeout) throws IOException {
        if (!(address instanceof InetSocketAddress isa)) {
            throw new SocketException("unsupported address type " + address.getClass().getName());
        }
        open(isa.getHostString(), isa.getPort());
    }

    private void open(String host, int port) throws IOException {
        if (closed) {
            throw new SocketException("Socket is closed");
        }
        TunnelConnection t = connector.connect(host, port);
        this.tunnel = t;
        this.port = port;
        this.address = InetAddress.getByAddress(host, new byte[4]);
        this.localport = 0;
        this.in = new InputStream() {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                int n = read(one, 0, 1);
                return n < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                Objects.checkFromIndexSize(off, len, b.length);
                if (closed) {
                    throw new SocketException("Socket is closed");
                }
                int n = t.read(b, off, len, (Integer) options.getOrDefault(SocketOptions.SO_TIMEOUT, 0));
                if (n > 0) {
                    t.consumed(n);
                }
                return n;
            }

            @Override
            public int available() {
                return t.available();
            }
        };
        this.out = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[]{(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                Objects.checkFromIndexSize(off, len, b.length);
                if (closed) {
                    throw new SocketException("Socket is closed");
                }
                t.write(b, off, len);
            }
        };
    }

    @Override
    protected void bind(InetAddress host, int port) throws IOException {
        // A client socket may be bound before connect; there is no local endpoint to bind.
    }

    @Override
    protected void listen(int backlog) throws IOException {
        throw new SocketException("tunnel sockets cannot listen");
    }

    @Override
    protected void accept(SocketImpl s) throws IOException {
        throw new SocketException("tunnel sockets cannot accept");
    }

    @Override
    protected InputStream getInputStream() throws IOException {
        if (in == null) {
            throw new SocketException("Socket is not connected");
        }
        return in;
    }

    @Override
    protected OutputStream getOutputStream() throws IOException {
        if (out == null) {
            throw new SocketException("Socket is not connected");
        }
        return out;
    }

    @Override
    protected int available() throws IOException {
        TunnelConnection t = tunnel;
        return t == null ? 0 : t.available();
    }

    @Override
    protected void close() {
        if (closed) {
            return;
        }
        closed = true;
        TunnelConnection t = tunnel;
        if (t != null) {
            t.close();
        }
        onClose.run();
    }

    @Override
    protected void shutdownInput() {
        // No half-close through the tunnel (SPEC §8.4): input simply stops being read.
    }

    @Override
    protected void shutdownOutput() {
        // Same: the stream stays open until close().
    }

    @Override
    protected void sendUrgentData(int data) throws IOException {
        throw new SocketException("urgent data is not supported through a tunnel");
    }

    @Override
    public void setOption(int optID, Object value) throws SocketException {
        options.put(optID, value);
    }

    @Override
    public Object getOption(int optID) throws SocketException {
        Object v = options.get(optID);
        if (v == null && optID == SocketOptions.SO_LINGER) {
            return -1;
        }
        if (v == null && (optID == SocketOptions.SO_KEEPALIVE || optID == SocketOptions.SO_OOBINLINE
                || optID == SocketOptions.SO_REUSEADDR)) {
            return Boolean.FALSE;
        }
        if (v == null && (optID == SocketOptions.SO_RCVBUF || optID == SocketOptions.SO_SNDBUF)) {
            return 65536;
        }
        if (v == null && optID == SocketOptions.IP_TOS) {
            return 0;
        }
        return v;
    }
}
