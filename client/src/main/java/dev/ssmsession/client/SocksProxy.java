package dev.ssmsession.client;

import dev.ssmsession.client.SessionException.Reason;
import dev.ssmsession.client.internal.LocalSocketBridge;
import dev.ssmsession.client.internal.Socks5;
import dev.ssmsession.client.internal.Socks5.Destination;
import dev.ssmsession.client.internal.Socks5.Reply;
import dev.ssmsession.client.internal.TunnelConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;

/**
 * A local SOCKS5 proxy (RFC 1928, CONNECT, no authentication) whose connections leave from the
 * target instance: each CONNECT to host:port is a smux stream in the
 * {@code AWS-StartPortForwardingSessionToRemoteHost} session for that host:port, started on first
 * use and shared by every later connection to it. Domain names are resolved by the instance.
 *
 * <p>The agent reports a failed dial (ConnectToPortError, SPEC §8.4) but never a successful one,
 * so the reply waits up to {@link Options#connectWait()} for the destination's first bytes or
 * that error: an error within the wait is answered with "connection refused" (the agent does not
 * say whether the port refused, the name did not resolve or the host was unreachable); otherwise
 * the reply is "succeeded" and a later failure just closes the connection.
 *
 * <p>{@link #close()} stops listening, closes every connection and ends the sessions.
 */
public final class SocksProxy implements AutoCloseable {
    /** Default of {@link Options#connectWait()}: a dial failure on a nearby network is reported well within it. */
    public static final Duration DEFAULT_CONNECT_WAIT = Duration.ofMillis(300);
    /** A client that connects and does not finish the handshake is dropped after this long. */
    static final int HANDSHAKE_TIMEOUT_MILLIS = 30_000;
    private static final int FIRST_READ_BUFFER = 16 * 1024;
    private static final Logger log = LoggerFactory.getLogger(SocksProxy.class);

    /**
     * Where to listen, and how long a CONNECT waits for a dial failure before answering success
     * ({@link Duration#ZERO}: answer at once, never report a failure).
     */
    public record Options(InetAddress bindAddress, int localPort, Duration connectWait) {
        public Options {
            Objects.requireNonNull(bindAddress, "bindAddress");
            if (localPort < 0 || localPort > 65535) {
                throw new IllegalArgumentException("localPort must be 0..65535, got " + localPort);
            }
            Objects.requireNonNull(connectWait, "connectWait");
            if (connectWait.isNegative()) {
                throw new IllegalArgumentException("connectWait must not be negative, got " + connectWait);
            }
        }

        /** 127.0.0.1, an ephemeral port, {@link #DEFAULT_CONNECT_WAIT}. */
        public static Options defaults() {
            return new Options(InetAddress.getLoopbackAddress(), 0, DEFAULT_CONNECT_WAIT);
        }

        public Options withBindAddress(InetAddress address) {
            return new Options(address, localPort, connectWait);
        }

        public Options withLocalPort(int port) {
            return new Options(bindAddress, port, connectWait);
        }

        public Options withConnectWait(Duration wait) {
            return new Options(bindAddress, localPort, wait);
        }
    }

    private final String target;
    private final TunnelSocketFactory tunnels;
    private final Options options;
    private final ExecutorService io;
    private final ServerSocketChannel server;
    private final InetSocketAddress bound;
    private final Set<SocketChannel> open = ConcurrentHashMap.newKeySet();
    private final CompletableFuture<Void> ended = new CompletableFuture<>();
    private volatile boolean closed;

    SocksProxy(TunnelSocketFactory tunnels, Options options, ExecutorService io) {
        this.target = tunnels.target();
        this.tunnels = tunnels;
        this.options = options;
        this.io = io;
        InetSocketAddress where = new InetSocketAddress(options.bindAddress(), options.localPort());
        try {
            this.server = ServerSocketChannel.open();
            server.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            server.bind(where, 50);
            this.bound = (InetSocketAddress) server.getLocalAddress();
        } catch (IOException e) {
            tunnels.close();
            throw new SessionException(Reason.CONFIGURATION, "cannot listen on " + where.getAddress().getHostAddress()
                    + ":" + where.getPort() + " for the SOCKS proxy to " + target + ": " + e.getMessage(), e);
        }
        io.execute(this::acceptLoop);
    }

    private void acceptLoop() {
        while (!closed) {
            SocketChannel ch;
            try {
                ch = server.accept();
            } catch (IOException e) {
                if (!closed) {
                    log.warn("SOCKS proxy to {} stopped accepting: {}", target, e.getMessage());
                    close();
                }
                return;
            }
            open.add(ch);
            if (closed) {
                closeQuietly(ch);
                return;
            }
            io.execute(() -> serve(ch));
        }
    }

    private void serve(SocketChannel ch) {
        boolean bridged = false;
        try {
            Socket socket = ch.socket();
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(HANDSHAKE_TIMEOUT_MILLIS);
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            Destination dest = Socks5.accept(in, out);
            Session session;
            TunnelConnection tunnel;
            try {
                session = tunnels.sessionFor(dest.host(), dest.port());
                tunnel = session.portsForSocket().connect();
            } catch (IOException e) {
                Reply reply = replyFor(e);
                log.info("SOCKS CONNECT to {} through {} failed ({}): {}", dest, target, reply, e.getMessage());
                Socks5.reply(out, reply);
                return;
            }
            byte[] first = new byte[FIRST_READ_BUFFER];
            int n = 0;
            if (!options.connectWait().isZero()) {
                try {
                    n = tunnel.read(first, 0, first.length, (int) Math.max(1, Math.min(Integer.MAX_VALUE,
                            options.connectWait().toMillis())));
                } catch (SocketTimeoutException quiet) {
                    n = 0;  // no error within the wait: the destination accepted (or is still being dialled)
                } catch (IOException e) {
                    tunnel.close();
                    Reply reply = session.isEnded() ? Reply.GENERAL_FAILURE : Reply.CONNECTION_REFUSED;
                    log.info("SOCKS CONNECT to {} through {} failed ({}): {}", dest, target, reply, e.getMessage());
                    Socks5.reply(out, reply);
                    return;
                }
            }
            Socks5.reply(out, Reply.SUCCEEDED);
            if (n < 0) {
                tunnel.close();  // the destination accepted and closed at once
                return;
            }
            if (n > 0) {
                out.write(first, 0, n);
                tunnel.consumed(n);
            }
            socket.setSoTimeout(0);
            log.debug("SOCKS CONNECT to {} through {} (session {})", dest, target, session.sessionId());
            LocalSocketBridge.start(ch, tunnel, io,
                    e -> log.debug("SOCKS connection to {} failed: {}", dest, e.getMessage()),
                    () -> open.remove(ch));
            bridged = true;
        } catch (Socks5.Rejected e) {
            log.info("SOCKS client refused: {}", e.getMessage());
        } catch (IOException e) {
            log.debug("SOCKS connection ended during the handshake: {}", e.getMessage());
        } finally {
            if (!bridged) {
                open.remove(ch);
                closeQuietly(ch);
            }
        }
    }

    /** Why the session to the destination could not be had, as RFC 1928 says it. */
    private static Reply replyFor(IOException e) {
        if (!(e.getCause() instanceof SessionException se)) {
            return Reply.GENERAL_FAILURE;
        }
        return switch (se.reason()) {
            case TARGET_NOT_CONNECTED, CONNECTION_LOST -> Reply.HOST_UNREACHABLE;
            case ACCESS_DENIED -> Reply.NOT_ALLOWED;
            default -> Reply.GENERAL_FAILURE;
        };
    }

    /** The address actually bound (the ephemeral port when 0 was asked for). */
    public InetSocketAddress localAddress() {
        return bound;
    }

    public String target() {
        return target;
    }

    /** Client connections currently open (in the handshake or carrying data). */
    public int openConnections() {
        return open.size();
    }

    /** Completes once the proxy stopped: {@link #close()}, or the listening socket failed. */
    public CompletableFuture<Void> ended() {
        return ended;
    }

    /** Stops listening, closes every client connection and ends the sessions. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        closeQuietly(server);
        for (SocketChannel c : open) {
            closeQuietly(c);
        }
        tunnels.close();
        ended.complete(null);
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
        return "SocksProxy[" + bound.getAddress().getHostAddress() + ":" + bound.getPort() + " → " + target + "]";
    }
}
