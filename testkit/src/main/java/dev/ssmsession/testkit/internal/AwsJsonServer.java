package dev.ssmsession.testkit.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.ssmsession.protocol.payload.Payloads;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One loopback HTTP port serving AWS JSON 1.1 APIs, routed by the {@code X-Amz-Target} header
 * ({@code AmazonSSM.StartSession}, {@code TrentService.Decrypt}, ...), as the real endpoints are.
 * Every request passes the {@link Authenticator} (SigV4) before its operation is even looked up.
 * Errors go out as HTTP 400 with {@code {"__type": ..., "message": ...}}, the shape the AWS SDK
 * maps to its typed exceptions.
 */
public final class AwsJsonServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AwsJsonServer.class);
    private static final String CONTENT_TYPE = "application/x-amz-json-1.1";
    private static final int MAX_BODY = 1 << 20;

    /** Handles one operation's JSON body, returning the JSON response or throwing {@link AwsError}. */
    public interface Operation extends Function<JsonNode, Object> {
    }

    /** Decides whether a request is authentic before anything else looks at it, as AWS does. */
    public interface Authenticator {
        /**
         * @param target the {@code X-Amz-Target}, null when absent
         * @param header header lookup, case-insensitive, repeated values joined by commas, null when absent
         * @throws AwsError when the request must be refused
         */
        void authenticate(String method, String resource, String target, Function<String, String> header, byte[] body);
    }

    private final HttpServer server;
    private final ExecutorService executor;
    private final Map<String, Operation> operations;
    private final Authenticator authenticator;
    private final QueryApis query;

    public AwsJsonServer(Map<String, Operation> operations, Authenticator authenticator) throws IOException {
        this(operations, authenticator, null);
    }

    /** @param query the Query-protocol APIs (EC2, IAM, STS) served on the same port, or null for none */
    public AwsJsonServer(Map<String, Operation> operations, Authenticator authenticator, QueryApis query) throws IOException {
        this.query = query;
        this.operations = Map.copyOf(operations);
        this.authenticator = authenticator;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        this.executor = Executors.newFixedThreadPool(4, Threads.daemon("testkit-api"));
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (query != null && QueryApis.accepts(exchange.getRequestHeaders().getFirst("Content-Type"))) {
                handleQuery(exchange);
                return;
            }
            String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
            Object result;
            int status = 200;
            try {
                if (!"POST".equals(exchange.getRequestMethod())) {
                    throw new AwsError("UnknownOperationException", 404, "only POST is served, got " + exchange.getRequestMethod());
                }
                byte[] bytes = readBytes(exchange.getRequestBody());
                Headers headers = exchange.getRequestHeaders();
                authenticator.authenticate(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath()
                                + (exchange.getRequestURI().getRawQuery() == null ? "" : "?" + exchange.getRequestURI().getRawQuery()),
                        target, name -> headers.containsKey(name) ? String.join(",", headers.get(name)) : null, bytes);
                Operation op = target == null ? null : operations.get(target);
                if (op == null) {
                    throw new AwsError("UnknownOperationException", "unknown operation X-Amz-Target: " + target);
                }
                result = op.apply(json(bytes));
                LOG.debug("{} -> 200", target);
            } catch (AwsError e) {
                LOG.info("{} -> {} {}: {}", target, e.status(), e.type(), e.getMessage());
                status = e.status();
                ObjectNode err = Payloads.mapper().createObjectNode();
                err.put("__type", e.type());
                err.put("message", e.getMessage());
                result = err;
            } catch (RuntimeException e) {
                LOG.warn("{} failed inside the testkit", target, e);
                status = 500;
                ObjectNode err = Payloads.mapper().createObjectNode();
                err.put("__type", "InternalServerError");
                err.put("message", "testkit failure: " + e);
                result = err;
            }
            byte[] bytes = Payloads.mapper().writeValueAsBytes(result);
            exchange.getResponseHeaders().set("Content-Type", CONTENT_TYPE);
            exchange.getResponseHeaders().set("x-amzn-RequestId", java.util.UUID.randomUUID().toString());
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    private void handleQuery(HttpExchange exchange) throws IOException {
        Headers headers = exchange.getRequestHeaders();
        byte[] body;
        QueryApis.Response response;
        try {
            body = readBytes(exchange.getRequestBody());
            String raw = exchange.getRequestURI().getRawPath()
                    + (exchange.getRequestURI().getRawQuery() == null ? "" : "?" + exchange.getRequestURI().getRawQuery());
            response = query.handle(exchange.getRequestMethod(), raw,
                    name -> headers.containsKey(name) ? String.join(",", headers.get(name)) : null, body);
        } catch (AwsError e) {
            response = new QueryApis.Response(e.status(), ("<Response><Errors><Error><Code>" + e.type() + "</Code><Message>"
                    + Xml.escape(e.getMessage()) + "</Message></Error></Errors></Response>").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        exchange.getResponseHeaders().set("Content-Type", "text/xml;charset=UTF-8");
        exchange.getResponseHeaders().set("x-amzn-RequestId", java.util.UUID.randomUUID().toString());
        exchange.sendResponseHeaders(response.status(), response.body().length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(response.body());
        }
    }

    private static byte[] readBytes(InputStream in) throws IOException {
        byte[] bytes = in.readNBytes(MAX_BODY + 1);
        if (bytes.length > MAX_BODY) {
            throw AwsError.validation("request body exceeds " + MAX_BODY + " bytes");
        }
        return bytes;
    }

    private static JsonNode json(byte[] bytes) {
        if (bytes.length == 0) {
            return Payloads.mapper().createObjectNode();
        }
        try {
            JsonNode node = Payloads.mapper().readTree(bytes);
            if (node == null || !node.isObject()) {
                throw new AwsError("SerializationException", "request body is not a JSON object");
            }
            return node;
        } catch (IOException e) {
            throw new AwsError("SerializationException", "request body is not valid JSON");
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
