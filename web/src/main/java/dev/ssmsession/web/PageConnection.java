package dev.ssmsession.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ssmsession.client.ManagedInstance;
import dev.ssmsession.web.internal.AccessPolicy;
import dev.ssmsession.web.internal.FrameReader;
import dev.ssmsession.web.internal.FrameWriter;
import dev.ssmsession.web.internal.HttpRequest;
import dev.ssmsession.web.internal.HttpResponses;
import dev.ssmsession.web.internal.ShellIo;
import dev.ssmsession.web.internal.WebSocketException;
import dev.ssmsession.web.internal.WebSocketProtocol;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One accepted connection of {@link WebTerminalServer}: a request for the page, an asset, the API, or the WebSocket. */
final class PageConnection implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(PageConnection.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Largest message the page may send; it sends pastes in 16 KiB pieces. */
    static final int MAX_MESSAGE = 1 << 20;
    /** How long the browser gets to answer our close frame before the socket is closed anyway. */
    static final long CLOSE_GRACE_MS = 5000;
    /** SSM targets: instance ids, mi- ids, ecs:cluster_task_container; anything else is refused before any call. */
    private static final Pattern TARGET = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.:/+=@-]{0,399}");

    private final Socket socket;
    private final WebTerminalServer server;
    private final AccessPolicy access;
    private final ScheduledExecutorService timers;

    PageConnection(Socket socket, WebTerminalServer server, AccessPolicy access, ScheduledExecutorService timers) {
        this.socket = socket;
        this.server = server;
        this.access = access;
        this.timers = timers;
    }

    @Override
    public void run() {
        try (Socket s = socket) {
            s.setTcpNoDelay(true);
            InputStream in = new BufferedInputStream(s.getInputStream());
            OutputStream out = new BufferedOutputStream(s.getOutputStream());
            Optional<HttpRequest> request;
            try {
                request = HttpRequest.parse(in);
            } catch (HttpRequest.BadRequestException e) {
                HttpResponses.text(out, 400, "Bad Request", "400 Bad Request: " + e.getMessage());
                return;
            }
            if (request.isPresent()) {
                serve(request.get(), in, out);
            }
        } catch (IOException e) {
            LOG.debug("connection from {} ended: {}", socket.getRemoteSocketAddress(), e.toString());
        }
    }

    private void serve(HttpRequest r, InputStream in, OutputStream out) throws IOException {
        if (!access.hostAllowed(r.header("host"))) {
            HttpResponses.text(out, 403, "Forbidden", "403 Forbidden: Host " + r.header("host").orElse("(none)")
                    + " is not this server's address.");
            return;
        }
        Optional<String> resource = access.resource(r.path());
        if (resource.isEmpty()) {
            HttpResponses.text(out, 403, "Forbidden",
                    "403 Forbidden: open the URL that ssm-session printed, with its token.");
            return;
        }
        boolean head = r.method().equals("HEAD");
        if (!r.method().equals("GET") && !head) {
            HttpResponses.text(out, 405, "Method Not Allowed", "405 Method Not Allowed: " + r.method());
            return;
        }
        if (access.needsSlash(r.path())) {
            HttpResponses.redirect(out, r.path() + "/" + (r.query().isEmpty() ? "" : "?" + r.query()));
            return;
        }
        String path = resource.get();
        switch (path) {
            case "ws" -> webSocket(r, in, out);
            case "api/config" -> json(out, config(), head);
            case "api/instances" -> instances(out, head);
            default -> {
                Optional<WebAssets.Asset> asset = WebAssets.get(path);
                if (asset.isPresent()) {
                    HttpResponses.send(out, 200, "OK", asset.get().contentType(), asset.get().bytes(), head);
                } else {
                    HttpResponses.text(out, 404, "Not Found", "404 Not Found");
                }
            }
        }
    }

    private ObjectNode config() {
        ObjectNode c = JSON.createObjectNode();
        Optional<String> target = server.target();
        if (target.isPresent()) {
            c.put("target", target.get());
        } else {
            c.putNull("target");
        }
        c.put("instances", server.instances().isPresent());
        return c;
    }

    private void instances(OutputStream out, boolean head) throws IOException {
        if (server.instances().isEmpty()) {
            HttpResponses.text(out, 404, "Not Found", "404 Not Found: this server lists no instances");
            return;
        }
        ObjectNode body = JSON.createObjectNode();
        try {
            ArrayNode list = body.putArray("instances");
            for (ManagedInstance i : server.instances().get().list()) {
                ObjectNode o = list.addObject();
                o.put("id", i.instanceId());
                o.put("name", i.name().orElse(""));
                o.put("platform", i.platform().orElse(""));
                o.put("pingStatus", i.pingStatus().orElse(""));
            }
        } catch (RuntimeException e) {
            LOG.debug("listing instances failed", e);
            ObjectNode error = JSON.createObjectNode().put("error", message(e));
            HttpResponses.send(out, 502, "Bad Gateway", "application/json", bytes(error), head);
            return;
        }
        json(out, body, head);
    }

    private static void json(OutputStream out, ObjectNode body, boolean head) throws IOException {
        HttpResponses.send(out, 200, "OK", "application/json", bytes(body), head);
    }

    private static byte[] bytes(ObjectNode node) {
        return node.toString().getBytes(StandardCharsets.UTF_8);
    }

    private void webSocket(HttpRequest r, InputStream in, OutputStream out) throws IOException {
        String upgrade = r.header("upgrade").orElse("").toLowerCase(Locale.ROOT);
        String connection = r.header("connection").orElse("").toLowerCase(Locale.ROOT);
        String key = r.header("sec-websocket-key").orElse("");
        if (!upgrade.equals("websocket") || !connection.contains("upgrade")) {
            HttpResponses.text(out, 400, "Bad Request", "400 Bad Request: a WebSocket upgrade was expected");
            return;
        }
        if (!r.header("sec-websocket-version").orElse("").equals("13")) {
            HttpResponses.text(out, 426, "Upgrade Required", "426 Upgrade Required: WebSocket version 13 only");
            return;
        }
        if (!WebSocketProtocol.validKey(key)) {
            HttpResponses.text(out, 400, "Bad Request", "400 Bad Request: malformed Sec-WebSocket-Key");
            return;
        }
        if (!access.originAllowed(r.header("origin"), r.header("host"))) {
            LOG.warn("refused a WebSocket from origin {}", HttpRequest.printable(r.header("origin").orElse("(none)")));
            HttpResponses.text(out, 403, "Forbidden", "403 Forbidden: the page's origin is not this server");
            return;
        }
        Optional<String> target = chooseTarget(r);
        int cols = clamp(r.queryParameter("cols"), 80);
        int rows = clamp(r.queryParameter("rows"), 24);
        HttpResponses.switchingProtocols(out, WebSocketProtocol.acceptKey(key));
        FrameWriter writer = new FrameWriter(out);
        SocketEndpoint endpoint = new SocketEndpoint(writer);
        if (target.isEmpty()) {
            endpoint.sendText(JSON.createObjectNode().put("type", "failed").put("message", server.target().isPresent()
                    ? "This server serves only target " + server.target().get() + "."
                    : "No valid target given (e.g. ?target=i-0123456789abcdef0).").toString());
            endpoint.close(WebSocketProtocol.CLOSE_POLICY, "no target");
            drain(in, endpoint);
            return;
        }
        endpoint.sendText(JSON.createObjectNode().put("type", "status")
                .put("message", "Starting a session on " + target.get() + "…").toString());
        ShellIo shell;
        try {
            shell = server.shells().open(target.get(), cols, rows);
        } catch (RuntimeException e) {
            LOG.debug("could not start a session on {}", target.get(), e);
            endpoint.sendText(JSON.createObjectNode().put("type", "failed").put("message", message(e)).toString());
            endpoint.close(WebSocketProtocol.CLOSE_INTERNAL_ERROR, "session not started");
            drain(in, endpoint);
            return;
        }
        WebTerminalBridge bridge = WebTerminalBridge.start(shell, endpoint, WebTerminalBridge.DEFAULT_WINDOW);
        server.opened(bridge);
        try {
            relay(in, writer, endpoint, bridge);
        } finally {
            bridge.onClose();
            server.closed(bridge);
        }
    }

    private Optional<String> chooseTarget(HttpRequest r) {
        Optional<String> asked = r.queryParameter("target").filter(t -> !t.isEmpty());
        if (server.target().isPresent()) {
            return asked.isEmpty() || asked.equals(server.target()) ? server.target() : Optional.empty();
        }
        return asked.filter(t -> TARGET.matcher(t).matches());
    }

    private static int clamp(Optional<String> value, int fallback) {
        try {
            int v = Integer.parseInt(value.orElse(""));
            return v >= 1 && v <= 1000 ? v : fallback;
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    private void relay(InputStream in, FrameWriter writer, SocketEndpoint endpoint, WebTerminalBridge bridge)
            throws IOException {
        FrameReader reader = new FrameReader(in, MAX_MESSAGE);
        FrameReader.Listener listener = new FrameReader.Listener() {
            @Override
            public void onText(String text) throws IOException {
                try {
                    bridge.onText(text);
                } catch (IllegalArgumentException e) {
                    throw new WebSocketException(WebSocketProtocol.CLOSE_POLICY, e.getMessage());
                }
            }

            @Override
            public void onBinary(byte[] bytes) {
                bridge.onBinary(bytes);
            }

            @Override
            public void onPing(byte[] payload) throws IOException {
                writer.write(WebSocketProtocol.OPCODE_PONG, payload, 0, payload.length);
            }

            @Override
            public void onClose(int code, String reason) {
                endpoint.close(WebSocketProtocol.CLOSE_NORMAL, "");
            }
        };
        try {
            while (reader.readFrame(listener)) {
                // each frame is handled by the listener
            }
        } catch (WebSocketException e) {
            LOG.warn("closing the page's WebSocket of session {}: {}", bridge.sessionId(), e.getMessage());
            endpoint.close(e.closeCode(), e.getMessage());
        } catch (EOFException e) {
            LOG.debug("page of session {} disconnected", bridge.sessionId());
        }
    }

    /** After our close frame: wait for the browser's (bounded by {@link #CLOSE_GRACE_MS}), ignoring data. */
    private void drain(InputStream in, SocketEndpoint endpoint) {
        FrameReader reader = new FrameReader(in, MAX_MESSAGE);
        FrameReader.Listener ignore = new FrameReader.Listener() {
            @Override
            public void onText(String text) {
            }

            @Override
            public void onBinary(byte[] bytes) {
            }

            @Override
            public void onPing(byte[] payload) {
            }

            @Override
            public void onClose(int code, String reason) {
            }
        };
        try {
            while (reader.readFrame(ignore)) {
                // until the close frame
            }
        } catch (IOException e) {
            // gone either way
        }
    }

    private static String message(RuntimeException e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }

    /** Frames to the page over this connection; closing schedules the socket's close in case the browser never answers. */
    private final class SocketEndpoint implements TerminalEndpoint {
        private final FrameWriter writer;

        SocketEndpoint(FrameWriter writer) {
            this.writer = writer;
        }

        @Override
        public void sendBinary(byte[] bytes, int offset, int length) throws IOException {
            writer.write(WebSocketProtocol.OPCODE_BINARY, bytes, offset, length);
        }

        @Override
        public void sendText(String json) throws IOException {
            byte[] b = json.getBytes(StandardCharsets.UTF_8);
            writer.write(WebSocketProtocol.OPCODE_TEXT, b, 0, b.length);
        }

        @Override
        public void close(int code, String reason) {
            try {
                writer.close(code, reason);
            } catch (IOException e) {
                LOG.debug("close frame not sent: {}", e.getMessage());
            }
            timers.schedule(() -> {
                try {
                    socket.close();
                } catch (IOException e) {
                    // closing anyway
                }
            }, CLOSE_GRACE_MS, TimeUnit.MILLISECONDS);
        }
    }
}
