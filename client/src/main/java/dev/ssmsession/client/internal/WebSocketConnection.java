package dev.ssmsession.client.internal;

import dev.ssmsession.protocol.json.Json;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One WebSocket to ssmmessages: TCP (direct or through a CONNECT proxy), TLS with host-name
 * verification, the (signed) upgrade, the {@code keepalive} ping and the OpenDataChannel text
 * frame (SPEC §1.3–§1.4). A reconnect creates a new instance.
 *
 * <p>RFC 6455 client written for this path: one reader thread per connection, and no writer thread.
 * {@link #enqueue(byte[])} never blocks, so callers may queue while holding their session lock;
 * {@link #flush()} then writes on the caller's thread once it let go of that lock, so a keystroke or an
 * ack reaches the socket with no hand-off.
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
    /**
     * @param tls the TLS context, asked for on the first {@code wss://} connection: loading the trust store takes
     *            a few hundred milliseconds of a cold start, so the manager prepares it in the background
     */
    public record Settings(Supplier<SSLContext> tls, ProxyPolicy proxy, int connectTimeoutMillis, int maxFrameSize) {
        public Settings {
            proxy = proxy == null ? ProxyPolicy.DIRECT : proxy;
        }

        public Settings(SSLContext sslContext, ProxyPolicy proxy, int connectTimeoutMillis, int maxFrameSize) {
            this(() -> sslContext, proxy, connectTimeoutMillis, maxFrameSize);
        }

        public SSLContext sslContext() {
            return tls.get();
        }

        public Settings withConnectTimeoutMillis(int millis) {
            return new Settings(tls, proxy, millis, maxFrameSize);
        }
    }

    private static final String ACCEPT_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    /** Masking keys and upgrade nonces (RFC 6455 §5.3: unpredictable). */
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int MAX_UPGRADE_RESPONSE = 16 * 1024;
    private static final int INITIAL_BUFFER = 4 * 1024;
    private static final int MAX_RETAINED_BUFFER = 256 * 1024;
    private static final AtomicInteger READERS = new AtomicInteger();
    /** How long {@link #close()} lets the courtesy close frame take before closing the socket under it. */
    private static final java.time.Duration CLOSE_GRACE = java.time.Duration.ofSeconds(2);

    private final Socket socket;
    private final FrameInput in;
    private final OutputStream out;
    private final int maxFrameSize;
    private final Listener listener;
    private final Thread reader;
    private final ArrayDeque<Pending> outbox = new ArrayDeque<>();
    private final ReentrantLock writeLock = new ReentrantLock();
    private ByteArrayOutputStream encoded = new ByteArrayOutputStream(INITIAL_BUFFER);
    private final AtomicBoolean closedByUs = new AtomicBoolean();
    private final AtomicBoolean reported = new AtomicBoolean();
    private volatile boolean open = true;

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
        String peer = host + ":" + port;
        FrameInput in;
        try {
            in = handshake(socket, url, secure, port, upgradeHeaders, end);
        } catch (IOException e) {
            closeQuietly(socket);
            throw new IOException("WebSocket upgrade to " + peer + " failed: " + e.getMessage(), e);
        }
        WebSocketConnection c;
        try {
            c = new WebSocketConnection(socket, in, settings.maxFrameSize(), listener);
        } catch (IOException e) {
            closeQuietly(socket);
            throw e;
        }
        c.enqueue(WebSocketFrames.OP_PING, PING_PAYLOAD);
        c.enqueue(WebSocketFrames.OP_TEXT, openDataChannelJson.getBytes(StandardCharsets.UTF_8));
        if (!c.flush()) {
            c.close();
            throw new IOException("data channel to " + peer + " closed before OpenDataChannel could be sent");
        }
        c.reader.start();
        log.debug("Data channel open to {}", host);
        return c;
    }

    /**
     * The HTTP/1.1 upgrade (RFC 6455 §4.1) within what is left of the attempt's budget. Returns the stream to read
     * frames from: bytes the server sent right after its 101 are already buffered there.
     */
    private static FrameInput handshake(Socket socket, URI url, boolean secure, int port,
                                                 Map<String, String> headers, long end) throws IOException {
        byte[] nonce = new byte[16];
        RANDOM.nextBytes(nonce);
        String key = Base64.getEncoder().encodeToString(nonce);
        String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
        if (url.getRawQuery() != null) {
            path += "?" + url.getRawQuery();
        }
        // The Host the SigV4 signature covers: the port only when it is not the scheme's default.
        String hostHeader = url.getHost() + (port == (secure ? 443 : 80) ? "" : ":" + port);
        StringBuilder request = new StringBuilder(512)
                .append("GET ").append(path).append(" HTTP/1.1\r\n")
                .append("Host: ").append(hostHeader).append("\r\n")
                .append("Upgrade: websocket\r\n")
                .append("Connection: Upgrade\r\n")
                .append("Sec-WebSocket-Key: ").append(key).append("\r\n")
                .append("Sec-WebSocket-Version: 13\r\n");
        for (Map.Entry<String, String> h : headers.entrySet()) {
            if (h.getKey().isEmpty() || containsLineBreak(h.getKey()) || containsLineBreak(h.getValue())) {
                throw new IOException("upgrade header " + h.getKey().replaceAll("[\\r\\n]", "?") + " is not a valid header");
            }
            request.append(h.getKey()).append(": ").append(h.getValue()).append("\r\n");
        }
        request.append("\r\n");
        socket.setSoTimeout(remainingMillis(end));
        OutputStream out = socket.getOutputStream();
        out.write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        FrameInput in = new FrameInput(socket.getInputStream());
        String status = readHeaderLine(in);
        Map<String, String> response = new HashMap<>();
        int total = status.length();
        for (String line; !(line = readHeaderLine(in)).isEmpty(); ) {
            total += line.length();
            if (total > MAX_UPGRADE_RESPONSE) {
                throw new IOException("upgrade response headers exceed " + MAX_UPGRADE_RESPONSE + " bytes");
            }
            int colon = line.indexOf(':');
            if (colon > 0) {
                response.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
            }
        }
        String[] parts = status.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
            throw new IOException("not an HTTP response: " + printable(status));
        }
        if (!parts[1].equals("101")) {
            throw new IOException("HTTP " + parts[1] + (parts.length > 2 ? " " + printable(parts[2]) : ""));
        }
        if (!"websocket".equalsIgnoreCase(response.get("upgrade"))) {
            throw new IOException("101 without Upgrade: websocket");
        }
        String expected = acceptFor(key);
        if (!expected.equals(response.get("sec-websocket-accept"))) {
            throw new IOException("wrong Sec-WebSocket-Accept (expected " + expected + ")");
        }
        socket.setSoTimeout(0);
        return in;
    }

    /** {@code base64(SHA-1(key + GUID))}, RFC 6455 §4.2.2. */
    static String acceptFor(String key) {
        try {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            return Base64.getEncoder().encodeToString(sha1.digest((key + ACCEPT_GUID).getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is required of every JDK", e);
        }
    }

    private static boolean containsLineBreak(String s) {
        return s.indexOf('\r') >= 0 || s.indexOf('\n') >= 0;
    }

    /** One CRLF- (or LF-) terminated header line, without its terminator. */
    private static String readHeaderLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("connection closed during the upgrade"
                        + (line.length() > 0 ? " after " + printable(line.toString()) : ""));
            }
            if (b == '\n') {
                int n = line.length();
                return n > 0 && line.charAt(n - 1) == '\r' ? line.substring(0, n - 1) : line.toString();
            }
            if (line.length() >= MAX_UPGRADE_RESPONSE) {
                throw new IOException("upgrade response line exceeds " + MAX_UPGRADE_RESPONSE + " bytes");
            }
            line.append((char) b);
        }
    }

    private static String printable(String s) {
        String t = s.length() > 200 ? s.substring(0, 200) + "…" : s;
        return t.replaceAll("[^\\x20-\\x7e]", "?");
    }

    /** Time left until {@code end}, at least 1 ms (0 would mean "no timeout" to sockets). */
    private static int remainingMillis(long end) {
        long left = TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime());
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, left));
    }

    /** The OpenDataChannel text frame (SPEC §1.3), fields in the Go client's order. */
    public static String openDataChannel(UUID requestId, String token, UUID clientId, String clientVersion) {
        return "{\"MessageSchemaVersion\":\"1.0\",\"RequestId\":" + Json.quote(requestId.toString())
                + ",\"TokenValue\":" + Json.quote(token) + ",\"ClientId\":" + Json.quote(clientId.toString())
                + ",\"ClientVersion\":" + Json.quote(clientVersion) + "}";
    }

    private WebSocketConnection(Socket socket, FrameInput in, int maxFrameSize, Listener listener) throws IOException {
        this.socket = socket;
        this.in = in;
        this.out = socket.getOutputStream();
        this.maxFrameSize = maxFrameSize;
        this.listener = listener;
        this.reader = new Thread(this::readLoop, "ssm-session-ws-" + READERS.incrementAndGet());
        // Never keeps the JVM alive: a peer that does not answer the close must not hold a process open.
        reader.setDaemon(true);
    }

    /**
     * Queues a binary frame without blocking (callers may hold their session lock); {@link #flush()} writes it.
     *
     * @return false when the connection is already gone (the caller reconnects; the engine resends)
     */
    public boolean enqueue(byte[] frame) {
        return enqueue(WebSocketFrames.OP_BINARY, frame);
    }

    private boolean enqueue(int opcode, byte[] payload) {
        if (!open) {
            return false;
        }
        synchronized (outbox) {
            outbox.add(new Pending(opcode, payload));
        }
        return true;
    }

    /**
     * Writes what is queued, in order, as one write when it can: on the calling thread, so a keystroke or an ack
     * reaches the socket without a hand-off to another thread. Blocks only while the socket's send buffer is full.
     * Call with no lock held that a reader of this connection needs.
     *
     * @return false if the connection is gone (what was queued is dropped; the engine resends data)
     */
    public boolean flush() {
        if (Thread.currentThread() == reader && in.buffered() > 0) {
            // The reader writes once it has handled what already arrived: one write for a burst of acks.
            return open;
        }
        writeLock.lock();
        try {
            return writeQueued();
        } finally {
            writeLock.unlock();
        }
    }

    /** Writes what is queued unless another thread is writing (it may be blocked on a full socket). */
    private void flushIfIdle() {
        if (writeLock.tryLock()) {
            try {
                writeQueued();
            } finally {
                writeLock.unlock();
            }
        }
    }

    private boolean writeQueued() {
        List<Pending> batch;
        synchronized (outbox) {
            if (outbox.isEmpty()) {
                return open;
            }
            batch = new ArrayList<>(outbox);
            outbox.clear();
        }
        if (!open) {
            return false;
        }
        encoded.reset();
        for (Pending p : batch) {
            WebSocketFrames.writeMasked(encoded, p.opcode, p.payload, RANDOM.nextInt());
        }
        try {
            encoded.writeTo(out);
            out.flush();
            return true;
        } catch (IOException e) {
            lost("WebSocket connection lost while writing (" + e.getMessage() + ")");
            return false;
        } finally {
            if (encoded.size() > MAX_RETAINED_BUFFER) {
                encoded = new ByteArrayOutputStream(INITIAL_BUFFER);
            }
        }
    }

    /** Queues and writes a binary frame (callers that hold no lock). */
    public boolean send(byte[] frame) {
        return enqueue(frame) && flush();
    }

    /** A ping with application data {@code keepalive} (SPEC §7.1). */
    public void ping() {
        if (!(enqueue(WebSocketFrames.OP_PING, PING_PAYLOAD) && flush())) {
            log.debug("ping on a closed data channel");
        }
    }

    public boolean isOpen() {
        return open;
    }

    /** The connected socket (for tests of its options). */
    Socket socket() {
        return socket;
    }

    /** Closes without telling the listener (the owner knows): a close frame if it can go at once, then the socket. */
    @Override
    public void close() {
        if (closedByUs.compareAndSet(false, true)) {
            // The close frame is a courtesy; the scheduler never risks a write that could block on a full socket,
            // and elsewhere such a write is cut after CLOSE_GRACE by closing the socket under it.
            if (open && !ManagerThreads.isScheduler()) {
                CompletableFuture.delayedExecutor(CLOSE_GRACE.toMillis(), TimeUnit.MILLISECONDS)
                        .execute(() -> closeQuietly(socket));
                sendClose(1000, "");
            }
            open = false;
            closeQuietly(socket);
        }
    }

    private void sendClose(int code, String reason) {
        byte[] text = reason.getBytes(StandardCharsets.UTF_8);
        byte[] payload = new byte[2 + Math.min(text.length, 123)];
        payload[0] = (byte) (code >>> 8);
        payload[1] = (byte) code;
        System.arraycopy(text, 0, payload, 2, payload.length - 2);
        // Best effort and bounded: a socket whose buffer is full is closed without it.
        if (enqueue(WebSocketFrames.OP_CLOSE, payload)) {
            flushIfIdle();
        }
    }

    private void readLoop() {
        String reason;
        ByteArrayOutputStream message = null;
        int messageOpcode = 0;
        try {
            read:
            while (true) {
                if (in.buffered() == 0) {
                    flush();  // what handling the last burst queued (acks, resends), before waiting for more
                }
                WebSocketFrames.Frame f = WebSocketFrames.read(in, maxFrameSize);
                switch (f.opcode()) {
                    case WebSocketFrames.OP_PING -> {
                        enqueue(WebSocketFrames.OP_PONG, f.payload());
                        flush();
                    }
                    case WebSocketFrames.OP_PONG -> {
                        // the answer to our keepalive: nothing to do
                    }
                    case WebSocketFrames.OP_CLOSE -> {
                        int code = f.payload().length >= 2 ? ((f.payload()[0] & 0xff) << 8) | (f.payload()[1] & 0xff) : 1005;
                        String text = f.payload().length > 2
                                ? new String(f.payload(), 2, f.payload().length - 2, StandardCharsets.UTF_8) : "";
                        sendClose(code == 1005 ? 1000 : code, "");
                        reason = "WebSocket closed by the service (code " + code + (text.isEmpty() ? "" : ", " + text) + ")";
                        break read;
                    }
                    case WebSocketFrames.OP_CONTINUATION -> {
                        if (message == null) {
                            throw new WebSocketFrames.ProtocolException(1002, "continuation frame without a message");
                        }
                        if (message.size() + f.payload().length > maxFrameSize) {
                            throw new WebSocketFrames.ProtocolException(1009, "message exceeds the " + maxFrameSize + "-byte limit");
                        }
                        message.write(f.payload(), 0, f.payload().length);
                        if (f.fin()) {
                            deliver(messageOpcode, message.toByteArray());
                            message = null;
                        }
                    }
                    default -> { // TEXT or BINARY
                        if (message != null) {
                            throw new WebSocketFrames.ProtocolException(1002, "new message inside a fragmented one");
                        }
                        if (f.fin()) {
                            deliver(f.opcode(), f.payload());
                        } else {
                            message = new ByteArrayOutputStream();
                            message.write(f.payload(), 0, f.payload().length);
                            messageOpcode = f.opcode();
                        }
                    }
                }
            }
        } catch (WebSocketFrames.ProtocolException e) {
            sendClose(e.closeCode(), "");
            reason = "WebSocket protocol error from the service: " + e.getMessage();
        } catch (EOFException e) {
            reason = "WebSocket closed by the service (code 1006, the connection ended without a close frame)";
        } catch (IOException e) {
            reason = "WebSocket connection lost (code 1006, " + e.getMessage() + ")";
        } catch (RuntimeException e) {
            // a listener failed: the connection cannot go on in a known state
            log.warn("Data channel reader failed", e);
            reason = "WebSocket reader failed: " + e;
        } finally {
            open = false;
            closeQuietly(socket);
        }
        report(reason);
    }

    /** A buffered stream that says how much it holds without asking the socket. */
    private static final class FrameInput extends BufferedInputStream {
        FrameInput(InputStream in) {
            super(in, 16 * 1024);
        }

        synchronized int buffered() {
            return count - pos;
        }
    }

    private void deliver(int opcode, byte[] payload) {
        if (opcode == WebSocketFrames.OP_TEXT) {
            // The service sends no text frames the client acts on (SPEC §1.4).
            log.debug("Ignoring a {}-byte text frame from the service", payload.length);
        } else {
            listener.onFrame(payload);
        }
    }

    private void lost(String reason) {
        open = false;
        closeQuietly(socket);  // the reader then ends and reports
        if (!reader.isAlive()) {
            report(reason);
        }
    }

    private void report(String reason) {
        if (!closedByUs.get() && reported.compareAndSet(false, true)) {
            listener.onClosed(reason);
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

    private record Pending(int opcode, byte[] payload) {
    }
}
