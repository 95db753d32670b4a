package dev.ssmsession.client;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An SSM JSON endpoint on loopback that only knows TerminateSession and answers it late: each
 * call waits until {@code answerAfter} calls are in flight at once (or {@link #close()}), then
 * answers 200. With {@code answerAfter} above the number of sessions it is a dead endpoint that
 * accepts the connection and never replies. Records the SessionId of every call.
 */
final class TerminateSessionEndpoint implements AutoCloseable {
    private static final Pattern SESSION_ID = Pattern.compile("\"SessionId\"\\s*:\\s*\"([^\"]+)\"");

    final List<String> terminated = new CopyOnWriteArrayList<>();
    final CountDownLatch inFlight;
    private final CountDownLatch released = new CountDownLatch(1);
    private final HttpServer server;
    private final ExecutorService handlers = Executors.newCachedThreadPool();

    TerminateSessionEndpoint(int answerAfter) throws IOException {
        inFlight = new CountDownLatch(answerAfter);
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(handlers);
        server.createContext("/", ex -> {
            String target = ex.getRequestHeaders().getFirst("X-Amz-Target");
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            int status = 400;
            String reply = "{\"__type\":\"ValidationException\",\"message\":\"unscripted " + target + "\"}";
            if (target != null && target.endsWith(".TerminateSession")) {
                Matcher m = SESSION_ID.matcher(body);
                String id = m.find() ? m.group(1) : "?";
                terminated.add(id);
                inFlight.countDown();
                try {
                    if (!inFlight.await(60, TimeUnit.SECONDS)) {
                        released.await();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                status = 200;
                reply = "{\"SessionId\":\"" + id + "\"}";
            }
            byte[] bytes = reply.getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.1");
            ex.sendResponseHeaders(status, bytes.length);
            ex.getResponseBody().write(bytes);
            ex.close();
        });
        server.start();
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    @Override
    public void close() {
        released.countDown();
        server.stop(0);
        handlers.shutdownNow();
    }
}
