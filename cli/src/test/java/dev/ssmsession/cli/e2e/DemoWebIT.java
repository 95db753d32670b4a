package dev.ssmsession.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ssm-session demo --web} from the packaged launcher: the URL on stdout, the page and xterm.js from the shaded
 * jar, a shell over the page's WebSocket, another Origin refused, and Ctrl-C (SIGTERM) ending it all.
 */
class DemoWebIT {
    @TempDir
    Path home;

    @Test
    void demoServesTheBrowserTerminal() throws Exception {
        ProcessBuilder builder = new ProcessBuilder(Launchers.bin().resolve("ssm-session").toString(), "demo", "--web");
        builder.environment().put("HOME", home.toString());
        builder.redirectError(ProcessBuilder.Redirect.DISCARD);
        Process process = builder.start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            CompletableFuture<String> firstLine = CompletableFuture.supplyAsync(() -> {
                try {
                    return out.readLine();
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            URI url = URI.create(firstLine.get(60, TimeUnit.SECONDS));
            assertThat(url.toString()).matches("http://127\\.0\\.0\\.1:\\d+/[A-Za-z0-9_-]{43}/");
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

            HttpResponse<String> page = http.send(java.net.http.HttpRequest.newBuilder(url).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.body()).contains("xterm/xterm.js");
            HttpResponse<byte[]> xterm = http.send(java.net.http.HttpRequest.newBuilder(url.resolve("xterm/xterm.js"))
                    .build(), HttpResponse.BodyHandlers.ofByteArray());
            assertThat(xterm.statusCode()).isEqualTo(200);
            assertThat(xterm.body().length).isGreaterThan(100_000);
            HttpResponse<String> noToken = http.send(java.net.http.HttpRequest.newBuilder(url.resolve("/")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(noToken.statusCode()).isEqualTo(403);

            String origin = "http://" + url.getHost() + ":" + url.getPort();
            URI ws = URI.create(url.toString().replaceFirst("^http", "ws") + "ws?cols=100&rows=30");
            CompletionStage<WebSocket> refused = http.newWebSocketBuilder().header("Origin", "http://evil.example")
                    .buildAsync(ws, new WebSocket.Listener() { });
            assertThatThrownBy(() -> refused.toCompletableFuture().get(30, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(WebSocketHandshakeException.class);

            Collected page2 = new Collected();
            WebSocket socket = http.newWebSocketBuilder().header("Origin", origin).buildAsync(ws, page2)
                    .get(30, TimeUnit.SECONDS);
            page2.awaitText("\"type\":\"ready\"");
            socket.sendBinary(ByteBuffer.wrap("echo web-$((6*7)); stty size\r".getBytes(StandardCharsets.UTF_8)), true)
                    .get(10, TimeUnit.SECONDS);
            page2.awaitOutput("web-42");
            page2.awaitOutput("30 100");

            process.destroy();                        // SIGTERM, as Ctrl-C: the shutdown hook ends the sessions
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
            page2.closed.get(30, TimeUnit.SECONDS);
        } finally {
            process.destroyForcibly();
        }
    }

    /** What the page would receive. */
    static final class Collected implements WebSocket.Listener {
        final StringBuilder output = new StringBuilder();
        final BlockingQueue<String> texts = new LinkedBlockingQueue<>();
        final CompletableFuture<Void> closed = new CompletableFuture<>();
        private final StringBuilder text = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                texts.add(text.toString());
                text.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            byte[] b = new byte[data.remaining()];
            data.get(b);
            synchronized (output) {
                output.append(new String(b, StandardCharsets.UTF_8));
                output.notifyAll();
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.complete(null);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed.complete(null);
        }

        void awaitText(String part) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (System.nanoTime() < deadline) {
                String t = texts.poll(1, TimeUnit.SECONDS);
                if (t != null && t.contains(part)) {
                    return;
                }
            }
            throw new AssertionError("no control message with " + part);
        }

        void awaitOutput(String part) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            synchronized (output) {
                while (output.indexOf(part) < 0) {
                    long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                    if (left <= 0) {
                        throw new AssertionError("no '" + part + "' in the output:\n" + output);
                    }
                    output.wait(left);
                }
            }
        }
    }
}
