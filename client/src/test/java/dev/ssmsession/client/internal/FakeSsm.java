package dev.ssmsession.client.internal;

import com.sun.net.httpserver.HttpServer;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ssm.SsmClient;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * A scripted SSM JSON 1.1 endpoint on loopback: per operation a status and body, the real SDK
 * client talks to it. Records the operations called.
 */
final class FakeSsm implements AutoCloseable {
    record Reply(int status, String body) {
    }

    final BlockingQueue<String> calls = new LinkedBlockingQueue<>();
    final Map<String, Reply> replies = new ConcurrentHashMap<>();
    private final HttpServer server;
    final SsmClient client;

    FakeSsm() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", ex -> {
            String target = ex.getRequestHeaders().getFirst("X-Amz-Target");
            String op = target == null ? "" : target.substring(target.indexOf('.') + 1);
            ex.getRequestBody().readAllBytes();
            calls.add(op);
            Reply r = replies.getOrDefault(op, new Reply(400, "{\"__type\":\"ValidationException\",\"message\":\"unscripted " + op + "\"}"));
            byte[] body = r.body().getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.1");
            ex.sendResponseHeaders(r.status(), body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        server.start();
        client = client(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKID", "SECRET")));
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Another SDK client for this endpoint, with other credentials (the caller closes it). */
    SsmClient client(AwsCredentialsProvider credentials) {
        return SsmClient.builder()
                .endpointOverride(uri())
                .region(Region.US_EAST_1)
                .credentialsProvider(credentials)
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(o -> o.retryStrategy(software.amazon.awssdk.core.retry.RetryMode.STANDARD)
                        .retryStrategy(b -> b.maxAttempts(1)))
                .build();
    }

    void reply(String op, int status, String body) {
        replies.put(op, new Reply(status, body));
    }

    @Override
    public void close() {
        client.close();
        server.stop(0);
    }
}
