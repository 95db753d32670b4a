package dev.ssmsession.testkit.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ssmsession.protocol.payload.Payloads;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.java_websocket.WebSocket;
import org.java_websocket.drafts.Draft;
import org.java_websocket.drafts.Draft_6455;
import org.java_websocket.exceptions.InvalidDataException;
import org.java_websocket.extensions.DefaultExtension;
import org.java_websocket.framing.CloseFrame;
import org.java_websocket.protocols.Protocol;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.handshake.ServerHandshakeBuilder;
import org.java_websocket.server.WebSocketServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ssmmessages endpoint {@code /v1/data-channel/{sessionId}} on loopback (SPEC §1.2–1.4). The
 * first text frame must be an OpenDataChannel carrying the session's current token; then binary
 * frames go to the session. Anything else is closed or ignored with a log line, never a crash.
 *
 * <p>Every callback runs on Java-WebSocket's one worker (or selector) thread, shared by all
 * sessions. So no callback blocks (agent work runs on each session's own thread, see
 * {@link ServiceSession}), and nothing escapes one: an Error escaping a callback makes Java-WebSocket
 * log "Got fatal error in worker thread" and stop the whole server. A failure instead ends the one
 * session it happened in, with the reason in the log and in its channel_closed.
 */
public final class DataChannelServer extends WebSocketServer {
    private static final Logger LOG = LoggerFactory.getLogger(DataChannelServer.class);
    private static final Pattern PATH = Pattern.compile("^/v1/data-channel/([^/?]+)(\\?.*)?$");

    /** Per-connection state, kept as the WebSocket's attachment. */
    private static final class Conn {
        final ServiceSession session;
        volatile boolean opened;

        Conn(ServiceSession session) {
            this.session = session;
        }
    }

    private final LocalService service;
    private final CountDownLatch started = new CountDownLatch(1);
    private volatile Exception startFailure;

    public DataChannelServer(LocalService service, int maxFrameSize) {
        super(new InetSocketAddress("127.0.0.1", 0), 1,
                List.<Draft>of(new Draft_6455(Collections.singletonList(new DefaultExtension()),
                        Collections.singletonList(new Protocol("")), maxFrameSize)));
        this.service = service;
        setReuseAddr(true);
        setTcpNoDelay(true);
        setDaemon(true);
    }

    /** Starts and waits until the socket is bound. */
    public void startAndWait() throws IOException {
        start();
        try {
            if (!started.await(10, TimeUnit.SECONDS)) {
                throw new IOException("WebSocket server did not start within 10 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while starting the WebSocket server", e);
        }
        if (startFailure != null) {
            throw new IOException("WebSocket server failed to start", startFailure);
        }
    }

    @Override
    public ServerHandshakeBuilder onWebsocketHandshakeReceivedAsServer(WebSocket conn, Draft draft, ClientHandshake request)
            throws InvalidDataException {
        try {
            return acceptUpgrade(conn, draft, request);
        } catch (RuntimeException | Error e) {
            LOG.warn("upgrade of {} failed", request.getResourceDescriptor(), e);
            throw new InvalidDataException(CloseFrame.UNEXPECTED_CONDITION, "the testkit failed on the upgrade: " + e);
        }
    }

    private ServerHandshakeBuilder acceptUpgrade(WebSocket conn, Draft draft, ClientHandshake request)
            throws InvalidDataException {
        ServerHandshakeBuilder builder = super.onWebsocketHandshakeReceivedAsServer(conn, draft, request);
        Matcher m = PATH.matcher(request.getResourceDescriptor());
        if (!m.matches()) {
            LOG.info("upgrade refused: unknown path {}", request.getResourceDescriptor());
            throw new InvalidDataException(CloseFrame.POLICY_VALIDATION, "unknown path " + request.getResourceDescriptor());
        }
        ServiceSession session = service.session(m.group(1));
        if (session == null) {
            LOG.info("upgrade refused: unknown session {}", m.group(1));
            throw new InvalidDataException(CloseFrame.POLICY_VALIDATION, "unknown session " + m.group(1));
        }
        String auth = header(request, "Authorization");
        String date = header(request, "X-Amz-Date");
        String token = header(request, "X-Amz-Security-Token");
        String problem = service.sigV4().verifyUpgrade(request.getResourceDescriptor(), name -> header(request, name),
                java.time.Instant.now());
        boolean accepted = problem == null || !service.requireSigV4();
        session.recordUpgrade(new ServiceSession.UpgradeInfo(auth, date, token, problem, accepted));
        if (!accepted) {
            LOG.info("session {}: upgrade refused: {}", session.id(), problem);
            throw new InvalidDataException(CloseFrame.POLICY_VALIDATION, "the upgrade request is not validly SigV4-signed: " + problem);
        }
        conn.setAttachment(new Conn(session));
        return builder;
    }

    private static String header(ClientHandshake request, String name) {
        return request.hasFieldValue(name) ? request.getFieldValue(name) : null;
    }

    @Override
    public void onOpen(WebSocket conn, ClientHandshake handshake) {
        LOG.debug("data channel connection from {}", conn.getRemoteSocketAddress());
    }

    @Override
    public void onMessage(WebSocket conn, String text) {
        try {
            onText(conn, text);
        } catch (RuntimeException | Error e) {
            fail(conn, "a text frame", e);
        }
    }

    private void onText(WebSocket conn, String text) {
        Conn c = conn.getAttachment();
        if (c == null) {
            conn.close(CloseFrame.POLICY_VALIDATION, "no session");
            return;
        }
        if (c.opened) {
            LOG.info("session {}: ignored a text frame after OpenDataChannel", c.session.id());
            return;
        }
        String problem = validateOpen(text, c.session);
        if (problem != null) {
            LOG.info("session {}: OpenDataChannel refused: {}", c.session.id(), problem);
            conn.close(CloseFrame.POLICY_VALIDATION, "OpenDataChannel refused: " + problem);
            return;
        }
        c.opened = true;
        c.session.attach(conn);
    }

    private static String validateOpen(String text, ServiceSession session) {
        JsonNode open;
        try {
            open = Payloads.mapper().readTree(text);
        } catch (IOException e) {
            return "not JSON";
        }
        if (open == null || !open.isObject()) {
            return "not a JSON object";
        }
        if (!"1.0".equals(open.path("MessageSchemaVersion").asText(null))) {
            return "MessageSchemaVersion must be \"1.0\"";
        }
        if (open.path("RequestId").asText("").isEmpty()) {
            return "RequestId is missing";
        }
        String token = open.path("TokenValue").asText(null);
        if (token == null || token.isEmpty()) {
            return "TokenValue is missing";
        }
        if (!java.security.MessageDigest.isEqual(token.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                session.token().getBytes(java.nio.charset.StandardCharsets.UTF_8))) {
            return "TokenValue is not valid for this session";
        }
        return null;
    }

    @Override
    public void onMessage(WebSocket conn, ByteBuffer message) {
        try {
            onBinary(conn, message);
        } catch (RuntimeException | Error e) {
            fail(conn, "a binary frame", e);
        }
    }

    private void onBinary(WebSocket conn, ByteBuffer message) {
        Conn c = conn.getAttachment();
        if (c == null || !c.opened) {
            LOG.info("binary frame before OpenDataChannel from {}", conn.getRemoteSocketAddress());
            conn.close(CloseFrame.POLICY_VALIDATION, "binary frame before OpenDataChannel");
            return;
        }
        byte[] frame = new byte[message.remaining()];
        message.get(frame);
        c.session.onBinary(frame);
    }

    /**
     * A callback failed: end that connection's session (channel_closed carries the reason) and
     * close the connection; the worker carries on with every other session.
     */
    private static void fail(WebSocket conn, String what, Throwable e) {
        Conn c = conn.getAttachment();
        String sessionId = c == null ? "(none)" : c.session.id();
        LOG.error("session {}: the testkit failed on {} and ends the session", sessionId, what, e);
        try {
            if (c != null) {
                c.session.closeChannel("The testkit failed on " + what + ": " + e);
            }
        } catch (RuntimeException | Error again) {
            LOG.error("session {}: ending the session failed too", sessionId, again);
        } finally {
            conn.close(CloseFrame.UNEXPECTED_CONDITION, "the testkit failed on " + what);
        }
    }

    @Override
    public void onClose(WebSocket conn, int code, String reason, boolean remote) {
        try {
            Conn c = conn.getAttachment();
            if (c != null && c.opened) {
                c.session.detach(conn);
            }
        } catch (RuntimeException | Error e) {
            LOG.error("detaching a closed connection failed", e);
        }
    }

    @Override
    public void onError(WebSocket conn, Exception ex) {
        if (conn == null) {
            LOG.warn("data channel server error", ex);
            if (started.getCount() > 0) {
                startFailure = ex;
                started.countDown();
            }
        } else {
            LOG.info("data channel connection error: {}", ex.toString());
        }
    }

    @Override
    public void onStart() {
        started.countDown();
    }
}
