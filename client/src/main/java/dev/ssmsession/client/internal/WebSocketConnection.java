package dev.ssmsession.client.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ssmsession.protocol.payload.Payloads;
import org.java_websocket.client.WebSocketClient;
import org.java_websocket.drafts.Draft_6455;
import org.java_websocket.exceptions.WebsocketNotConnectedException;
import org.java_websocket.framing.PingFrame;
import org.java_websocket.handshake.ServerHandshake;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One WebSocket to ssmmessages: TCP (direct or through a CONNECT proxy), TLS with host-name
 * verification, the (signed) upgrade, the {@code keepalive} ping and the OpenDataChannel text
 * frame (SPEC §1.3–§1.4). A reconnect creates a new instance.
 *
 * <p>{@link #send(byte[])} never blocks: Java-WebSocket queues the frame and its own write
 * thread writes it, so callers may send while holding their session lock.
 */
public final class WebSocketConnection implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(WebSocketConnection.class);
    static final byte[] PING_PAYLOAD = "keepalive".getBytes(StandardCharsets.US_ASCII);

    /** Events from the connection's reader thread. */
    public interface Listener {
        /** A binary frame: one ClientMessage. */
        void onFrame(byte[] frame);

        /** The connection ended (either side); called at most once, never after {@link #close()}. */
        void onClosed(String reason);
    }

    /** Everything that stays the same across reconnects. */
    /** @param proxy which connections take a proxy; {@link ProxyPolicy#DIRECT} for none */
    public record Settings(SSLContext sslContext, ProxyPolicy proxy, int connectTimeoutMillis, int maxFrameSize) {
        public Settings {
            proxy = proxy == null ? ProxyPolicy.DIRECT : proxy;
        }

        public Settings withConnectTimeoutMillis(int millis) {
            return new Settings(sslContext, proxy, millis, maxFrameSize);
        }
    }

    private final Client client;
    private final AtomicBoolean closedByUs = new AtomicBoolean();

    private WebSocketConnection(Client client) {
        this.client = client;
    }

    /**
     * Connects, upgrades, pings and sends OpenDataChannel; returns once that frame is queued.
     *
     * @throws IOException naming the stage that failed (TCP, proxy, TLS, upgrade status); a
     *     {@link ProxyFailureException} when the proxy could not be reached or refused the CONNECT
     */
    public static WebSocketConnection open(Settings settings, URI url, Map<String, String> upgradeHeaders,
                                           String openDataChannelJson, Listener listener) throws IOException {
        // One budget for the whole attempt (TCP, proxy CONNECT, TLS, upgrade): each stage gets what
        // the earlier ones left, so a slow stage followed by a silent one cannot double it.
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(settings.connectTimeoutMillis());
        boolean secure = url.getScheme().equalsIgnoreCase("wss");
        String host = url.getHost();
        int port = url.getPort() != -1 ? url.getPort() : secure ? 443 : 80;
        Socket socket = null;
        ProxySettings via = settings.proxy().proxyFor(url).orElse(null);
        try {
            if (via != null) {
                socket = ProxyTunnel.open(via, host, port, remainingMillis(end));
            } else {
                socket = new Socket();
                socket.connect(new InetSocketAddress(host, port), remainingMillis(end));
            }
            socket.setTcpNoDelay(true);
            if (secure) {
                SSLSocket tls = (SSLSocket) settings.sslContext().getSocketFactory().createSocket(socket, host, port, true);
                SSLParameters p = tls.getSSLParameters();
                p.setEndpointIdentificationAlgorithm("HTTPS");
                tls.setSSLParameters(p);
                tls.setSoTimeout(remainingMillis(end));
                tls.startHandshake();
                tls.setSoTimeout(0);
                socket = tls;
            }
        } catch (ProxyFailureException e) {
            closeQuietly(socket);
            throw e;
        } catch (IOException e) {
            closeQuietly(socket);
            throw new IOException("cannot connect to " + host + ":" + port
                    + (via != null ? " through " + via.describe() : "") + ": " + e.getMessage(), e);
        }
        Draft_6455 draft = new Draft_6455(Collections.emptyList(), settings.maxFrameSize());
        Client client = new Client(url, draft, upgradeHeaders, settings.connectTimeoutMillis(), listener);
        // A one-shot factory hands Java-WebSocket the socket connected (and TLS-wrapped) above, so the
        // proxy tunnel and the trust settings stay ours; it connects and wraps nothing itself.
        Socket prepared = socket;
        client.setSocketFactory(new javax.net.SocketFactory() {
            @Override
            public Socket createSocket() {
                return prepared;
            }

            @Override
            public Socket createSocket(String host, int port) {
                throw new UnsupportedOperationException();
            }

            @Override
            public Socket createSocket(String host, int port, java.net.InetAddress localHost, int localPort) {
                throw new UnsupportedOperationException();
            }

            @Override
            public Socket createSocket(java.net.InetAddress host, int port) {
                throw new UnsupportedOperationException();
            }

            @Override
            public Socket createSocket(java.net.InetAddress address, int port, java.net.InetAddress localAddress, int localPort) {
                throw new UnsupportedOperationException();
            }
        });
        WebSocketConnection c = new WebSocketConnection(client);
        client.owner = c;
        boolean open;
        try {
            open = client.connectBlocking(remainingMillis(end), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            c.close();
            throw new IOException("interrupted while opening the data channel", e);
        }
        if (!open) {
            c.close();
            String why = client.failure.get();
            throw new IOException("WebSocket upgrade to " + host + ":" + port + " failed: "
                    + (why == null ? "no response within " + settings.connectTimeoutMillis() + " ms" : why));
        }
        c.ping();
        try {
            client.send(openDataChannelJson);
        } catch (WebsocketNotConnectedException e) {
            throw new IOException("data channel closed before OpenDataChannel could be sent", e);
        }
        return c;
    }

    /** Time left until {@code end}, at least 1 ms (0 would mean "no timeout" to sockets). */
    private static int remainingMillis(long end) {
        long left = TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime());
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, left));
    }

    /** The OpenDataChannel text frame (SPEC §1.3), fields in the Go client's order. */
    public static String openDataChannel(UUID requestId, String token, UUID clientId, String clientVersion) {
        ObjectNode n = Payloads.mapper().createObjectNode();
        n.put("MessageSchemaVersion", "1.0");
        n.put("RequestId", requestId.toString());
        n.put("TokenValue", token);
        n.put("ClientId", clientId.toString());
        n.put("ClientVersion", clientVersion);
        return n.toString();
    }

    /** Queues a binary frame; false when the connection is already gone (the caller reconnects). */
    public boolean send(byte[] frame) {
        try {
            client.send(frame);
            return true;
        } catch (WebsocketNotConnectedException e) {
            return false;
        }
    }

    /** A ping with application data {@code keepalive} (SPEC §7.1). */
    public void ping() {
        PingFrame ping = new PingFrame();
        ping.setPayload(ByteBuffer.wrap(PING_PAYLOAD));
        try {
            client.sendFrame(ping);
        } catch (WebsocketNotConnectedException e) {
            log.debug("ping on a closed data channel");
        }
    }

    public boolean isOpen() {
        return client.isOpen();
    }

    /** Closes without telling the listener (the owner knows). */
    @Override
    public void close() {
        if (closedByUs.compareAndSet(false, true)) {
            client.close();
            closeQuietly(client.getSocket());
        }
    }

    private static void closeQuietly(Socket s) {
        if (s != null) {
            try {
                s.close();
            } catch (IOException ignored) {
                // already broken; nothing to report
            }
        }
    }

    private static final class Client extends WebSocketClient {
        private final Listener listener;
        private final AtomicReference<String> failure = new AtomicReference<>();
        private final AtomicBoolean reported = new AtomicBoolean();
        private volatile WebSocketConnection owner;
        private volatile boolean opened;

        Client(URI url, Draft_6455 draft, Map<String, String> headers, int timeoutMillis, Listener listener) {
            super(url, draft, headers, timeoutMillis);
            this.listener = listener;
            // Java-WebSocket's read and write threads are not daemon by default: one left waiting on a
            // peer that never answers the close handshake would keep the JVM alive after close().
            setDaemon(true);
        }

        @Override
        protected void onSetSSLParameters(SSLParameters sslParameters) {
            sslParameters.setEndpointIdentificationAlgorithm("HTTPS");
        }

        @Override
        public void onOpen(ServerHandshake handshake) {
            opened = true;
            log.debug("Data channel open to {}", uri.getHost());
        }

        @Override
        public void onMessage(String message) {
            // The service sends no text frames the client acts on (SPEC §1.4).
            log.debug("Ignoring a {}-character text frame from the service", message.length());
        }

        @Override
        public void onMessage(ByteBuffer bytes) {
            byte[] frame = new byte[bytes.remaining()];
            bytes.get(frame);
            listener.onFrame(frame);
        }

        @Override
        public void onClose(int code, String reason, boolean remote) {
            failure.compareAndSet(null, "code " + code + (reason == null || reason.isEmpty() ? "" : ", " + reason));
            WebSocketConnection o = owner;
            if ((o == null || !o.closedByUs.get()) && reported.compareAndSet(false, true) && isOpenedOnce()) {
                listener.onClosed("WebSocket closed by " + (remote ? "the service" : "this side") + " (code " + code
                        + (reason == null || reason.isEmpty() ? "" : ", " + reason) + ")");
            }
        }

        private boolean isOpenedOnce() {
            return opened;
        }

        @Override
        public void onError(Exception ex) {
            failure.compareAndSet(null, ex.getMessage());
            log.debug("Data channel error: {}", ex.toString());
        }
    }
}
