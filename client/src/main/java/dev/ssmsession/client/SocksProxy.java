package dev.ssmsession.client;

import dev.ssmsession.client.SessionException.Reason;
import dev.ssmsession.client.internal.LocalSocketBridge;
import dev.ssmsession.client.internal.Socks5;
import dev.ssmsession.client.internal.Socks5.Destination;
import dev.ssmsession.client.internal.Socks5.Reply;
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
 * target instance: each CONNECT to host:port is a smux stream in an
 * {@code AWS-StartPortForwardingSessionToRemoteHost} session for that host:port, started on first
 * use and shared by later connections to it (or spread over up to {@link Options#tunnels()}'s sessions per
 * destination; a destination's sessions close after its idle timeout). Domain names are resolved by the instance.
 *
 * <p>The agent reports a failed dial (ConnectToPortError, SPEC §8.4) but never a successful one, and its report
 * carries no reason. So by default a CONNECT is answered "succeeded" as soon as its stream is open (no round trip
 * to wait for), and when the agent then reports the dial failed the client connection is reset (RST), as proxies
 * without connect confirmation do. With {@link Options#connectWait()} above zero the reply waits that long for the
 * destination's first bytes or the agent's report, and a report within the wait is answered with "general failure"
 * (the agent does not say whether the port refused, the name did not resolve or the host was unreachable). Failures
 * of the session itself get their own codes: target not connected → host unreachable, access denied → not allowed,
 * a timeout → TTL expired.
 *
 * <p>{@link #close()} stops listening, closes every connection and ends the sessions.
 */
public final class SocksProxy implements AutoCloseable {
    /** Default of {@link Options#connectWait()}: none, the reply goes out as soon as the stream is open. */
    public static final Duration DEFAULT_CONNECT_WAIT = Duration.ZERO;
    /** A client that connects and does not finish the handshake is dropped after this long. */
    static final int HANDSHAKE_TIMEOUT_MILLIS = 30_000;
    private static final int FIRST_READ_BUFFER = 16 * 1024;
    private static final Logger log = LoggerFactory.getLogger(SocksProxy.class);

    /**
     * Where to listen; how long a CONNECT waits for a dial failure before answering success
     * ({@link Duration#ZERO}: answer at once and reset the connection on a later failure); how many sessions per
     * destination and how long an idle one lives ({@code tunnels}).
     */
    public record Options(InetAddress bindAddress, int localPort, Duration connectWait,
                          TunnelSocketFactory.Options tunnels) {
        public Options {
            Objects.requireNonNull(bindAddress, "bindAddress");
            if (localPort < 0 || localPort > 65535) {
                throw new IllegalArgumentException("localPort must be 0..65535, got " + localPort);
            }
            Objects.requireNonNull(connectWait, "connectWait");
            if (connectWait.isNegative()) {
                throw new IllegalArgumentException("connectWait must not be negative, got " + connectWait);
            }
            Objects.requireNonNull(tunnels, "tunnels");
        }

        /** 127.0.0.1, an ephemeral port, answer at once, one session per destination. */
        public static Options defaults() {
            return new Options(InetAddress.getLoopbackAddress(), 0, DEFAULT_CONNECT_WAIT,
                    TunnelSocketFactory.Options.defaults());
        }

        public Options withBindAddress(InetAddress address) {
            return new Options(address, localPort, connectWait, tunnels);
        }

        public Options withLocalPort(int port) {
            return new Options(bindAddress, port, connectWait, tunnels);
        }

        public Options withConnectWait(Duration wait) {
            return new Options(bindAddress, localPort, wait, tunnels);
        }

        public Options withTunnels(TunnelSocketFactory.Options t) {
            return new Options(bindAddress, localPort, connectWait, t);
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
            SessionPool.Pooled tunnel;
            try {
                tunnel = tunnels.connect(dest.host(), dest.port());
            } catch (IOException e) {
                Reply reply = replyFor(e);
                log.info("SOCKS CONNECT to {} through {} failed ({}): {}", dest, target, reply, e.getMessage());
                Socks5.reply(out, reply);
                return;
            }
            Session session = tunnel.session();
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
                    Reply reply = Reply.GENERAL_FAILURE;
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
            LocalSocketBridge.start(ch, tunnel, io, e -> {
                // Success was answered already: a reset tells the client the connection failed, not that it ended.
                log.info("SOCKS connection to {} through {} failed: {}", dest, target, e.getMessage());
                reset(socket);
            }, () -> open.remove(ch));
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
    static Reply replyFor(IOException e) {
        if (!(e.getCause() instanceof SessionException se)) {
            return Reply.GENERAL_FAILURE;
        }
        return switch (se.reason()) {
            case TARGET_NOT_CONNECTED, CONNECTION_LOST -> Reply.HOST_UNREACHABLE;
            case ACCESS_DENIED -> Reply.NOT_ALLOWED;
            case TIMEOUT -> Reply.TTL_EXPIRED;
            default -> Reply.GENERAL_FAILURE;
        };
    }

    /** Closes with an RST instead of a FIN (SO_LINGER 0), once the bridge closes the socket. */
    private static void reset(Socket socket) {
        try {
            socket.setSoLinger(true, 0);
        } catch (IOException ignored) {
            // already closed: nothing left to reset
        }
    }

    /** What the proxy carried so far, over how many sessions (all destinations summed). */
    public PortForward.Stats stats() {
        return tunnels.stats();
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
