package dev.ssmsession.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ssmsession.client.SessionEnd;
import dev.ssmsession.client.ShellSession;
import dev.ssmsession.web.internal.OutputWindow;
import dev.ssmsession.web.internal.ShellIo;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Connects the page ({@code WebAssets}) on any WebSocket-like {@link TerminalEndpoint} to a {@link ShellSession}.
 * Your WebSocket handler calls {@link #onBinary}, {@link #onText} and {@link #onClose} with what the page sends;
 * the bridge sends output and control messages through the endpoint from a thread of its own.
 *
 * <p>The messages, page → bridge: binary = keystrokes and pastes (UTF-8 bytes as typed, passed through untouched);
 * text = JSON {@code {"type":"resize","cols":C,"rows":R}} or {@code {"type":"ack","bytes":N}} (output the page has
 * rendered). Bridge → page: binary = output bytes; text = JSON {@code {"type":"ready","sessionId":…}},
 * {@code {"type":"ended","exitCode":N|null,"message":…}} or {@code {"type":"failed","message":…}}, after which the
 * bridge closes the endpoint.
 *
 * <p>Flow control, both ways: {@link #onBinary} blocks while the session's send window is full (so a WebSocket
 * container that reads one message at a time stops reading, and TCP slows the browser); output waits while more than
 * {@link #DEFAULT_WINDOW} bytes are sent and not yet acked by the page. Closing the endpoint ends the session with
 * {@code TerminateSession}.
 */
public final class WebTerminalBridge implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WebTerminalBridge.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Output bytes in flight to the page before the bridge waits for its acks. */
    public static final int DEFAULT_WINDOW = 1 << 20;
    /** The largest terminal a resize may ask for, either way. */
    static final int MAX_DIMENSION = 4096;
    private static final int CHUNK = 16 * 1024;

    private final ShellIo shell;
    private final TerminalEndpoint endpoint;
    private final OutputWindow window;
    private final AtomicBoolean pageGone = new AtomicBoolean();
    private final AtomicBoolean endReported = new AtomicBoolean();
    private final CompletableFuture<Void> outputDone = new CompletableFuture<>();

    private WebTerminalBridge(ShellIo shell, TerminalEndpoint endpoint, int window) {
        this.shell = Objects.requireNonNull(shell, "shell");
        this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
        this.window = new OutputWindow(window);
    }

    /** Starts relaying: sends {@code ready}, then the shell's output, then how it ended. */
    public static WebTerminalBridge start(ShellSession shell, TerminalEndpoint endpoint) {
        return start(shell, endpoint, DEFAULT_WINDOW);
    }

    /** As {@link #start(ShellSession, TerminalEndpoint)} with an output window of {@code window} bytes. */
    public static WebTerminalBridge start(ShellSession shell, TerminalEndpoint endpoint, int window) {
        return start(ShellIo.of(Objects.requireNonNull(shell, "shell")), endpoint, window);
    }

    static WebTerminalBridge start(ShellIo shell, TerminalEndpoint endpoint, int window) {
        WebTerminalBridge bridge = new WebTerminalBridge(shell, endpoint, window);
        ObjectNode ready = JSON.createObjectNode().put("type", "ready").put("sessionId", shell.sessionId());
        try {
            endpoint.sendText(ready.toString());
        } catch (IOException e) {
            LOG.debug("page of session {} went away before it was ready", shell.sessionId(), e);
            bridge.onClose();
            return bridge;
        }
        Thread stdout = new Thread(() -> bridge.pump(shell.stdout(), true), "ssm-session-web-out-" + shell.sessionId());
        Thread stderr = new Thread(() -> bridge.pump(shell.stderr(), false), "ssm-session-web-err-" + shell.sessionId());
        stdout.setDaemon(true);
        stderr.setDaemon(true);
        stdout.start();
        stderr.start();
        return bridge;
    }

    /** Keystrokes or a paste from the page; blocks while the session's send window is full. */
    public void onBinary(byte[] bytes) {
        if (pageGone.get() || bytes.length == 0) {
            return;
        }
        try {
            OutputStream in = shell.stdin();
            in.write(bytes);
            in.flush();
        } catch (IOException e) {
            // The session ended or failed; the output pump reports how.
            LOG.debug("input for session {} not sent: {}", shell.sessionId(), e.getMessage());
        }
    }

    /**
     * A control message from the page.
     *
     * @throws IllegalArgumentException when it is not one of the messages above; the message says what was wrong
     */
    public void onText(String json) {
        JsonNode m;
        try {
            m = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("control message is not JSON: " + e.getOriginalMessage());
        }
        if (m == null || !m.isObject()) {
            throw new IllegalArgumentException("control message is not a JSON object");
        }
        String type = m.path("type").asText("");
        switch (type) {
            case "resize" -> {
                int cols = dimension(m, "cols");
                int rows = dimension(m, "rows");
                if (!pageGone.get()) {
                    shell.resize(cols, rows);
                }
            }
            case "ack" -> {
                JsonNode bytes = m.path("bytes");
                if (!bytes.canConvertToLong()) {
                    throw new IllegalArgumentException("ack without a byte count: " + json);
                }
                window.release(bytes.asLong());
            }
            default -> throw new IllegalArgumentException("unknown control message type '" + type + "'");
        }
    }

    private static int dimension(JsonNode m, String field) {
        JsonNode v = m.path(field);
        if (!v.canConvertToInt() || v.asInt() < 1 || v.asInt() > MAX_DIMENSION) {
            throw new IllegalArgumentException("resize " + field + " must be 1.." + MAX_DIMENSION + ", was " + v);
        }
        return v.asInt();
    }

    /** The page went away (tab closed, connection lost): ends the session with TerminateSession. Idempotent. */
    public void onClose() {
        if (!pageGone.compareAndSet(false, true)) {
            return;
        }
        window.close();
        if (!shell.ended().isDone()) {
            LOG.debug("page of session {} closed; terminating the session", shell.sessionId());
        }
        shell.close();
    }

    /** Same as {@link #onClose()}. */
    @Override
    public void close() {
        onClose();
    }

    /** Completes once the end of the session (or its failure) was sent to the page, or the page went away. */
    public CompletableFuture<Void> done() {
        return outputDone;
    }

    public String sessionId() {
        return shell.sessionId();
    }

    private void pump(InputStream from, boolean main) {
        byte[] buffer = new byte[CHUNK];
        try {
            for (int n; (n = from.read(buffer)) >= 0; ) {
                if (n == 0) {
                    continue;
                }
                if (!window.acquire(n)) {
                    break;
                }
                endpoint.sendBinary(buffer, 0, n);
            }
        } catch (IOException e) {
            // Either the session failed (the stream throws after its buffered bytes) or the page went away.
            LOG.debug("output of session {} stopped: {}", shell.sessionId(), e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (main) {
            reportEnd();
        }
    }

    private void reportEnd() {
        try {
            if (pageGone.get() || !endReported.compareAndSet(false, true)) {
                return;
            }
            ObjectNode m = JSON.createObjectNode();
            try {
                SessionEnd end = shell.ended().join();
                m.put("type", "ended");
                if (end.exitCode().isPresent()) {
                    m.put("exitCode", end.exitCode().getAsInt());
                } else {
                    m.putNull("exitCode");
                }
                m.put("message", end.message() == null ? "" : end.message());
            } catch (CompletionException e) {
                Throwable cause = e.getCause() != null ? e.getCause() : e;
                m.put("type", "failed");
                m.put("message", String.valueOf(cause.getMessage()));
            }
            try {
                endpoint.sendText(m.toString());
            } catch (IOException e) {
                LOG.debug("end of session {} not shown: the page went away", shell.sessionId());
            }
            endpoint.close(1000, "session ended");
        } finally {
            outputDone.complete(null);
        }
    }
}
