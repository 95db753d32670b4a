package dev.ssmsession.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ssmsession.testkit.LocalSessionManager;
import dev.ssmsession.testkit.TinyProxy;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code ssm-session start} and {@code ssm-session port-forward} as users run them behind a proxy: the real launcher,
 * {@code HTTP_PROXY}/{@code HTTPS_PROXY} pointing at a real tinyproxy, and {@code NO_PROXY} in the forms people
 * write. The proxy's own log says which connections went through it. (The plugin's side: {@link ProxyPluginIT}; every
 * call of a session and each failure of the proxy: the client's {@code ProxyIntegrationTest}.)
 */
class ProxyCliIT {
    private static final Pattern PORT_OPENED = Pattern.compile("Port (\\d+) opened for sessionId (\\S+)\\.");

    private static LocalSessionManager local;

    @TempDir
    static Path home;

    @BeforeAll
    static void startTestkit() {
        Assumptions.assumeTrue(TinyProxy.binary().isPresent(), "tinyproxy is not installed (apt-get install tinyproxy; "
                + ".ci/run installs it): the real-proxy tests are skipped");
        local = LocalSessionManager.builder().build().start();
    }

    @AfterAll
    static void stopTestkit() {
        if (local != null) {
            local.close();
        }
    }

    private static int apiPort() {
        return local.ssmEndpoint().getPort();
    }

    private static String ssmCall() {
        return "POST http://127.0.0.1:" + apiPort() + "/ HTTP/1.1";
    }

    private static String webSocket() {
        return "CONNECT 127.0.0.1:" + local.streamUrlBase().getPort() + " HTTP/1.1";
    }

    private static Map<String, String> env(TinyProxy proxy, String noProxy) throws IOException {
        Map<String, String> env = TestkitEnvironment.of(local, home);
        env.put("HTTPS_PROXY", proxy.url());
        env.put("http_proxy", proxy.url());
        env.put("NO_PROXY", noProxy);
        return env;
    }

    private static Launchers.Result shell(Map<String, String> env, String marker) throws Exception {
        return Launchers.run(List.of(Launchers.bin().resolve("ssm-session").toString(), "--endpoint-url",
                local.ssmEndpoint().toString(), "start", "--target", local.defaultTarget()),
                env, ("echo " + marker + "-$((40+2))\nexit\n").getBytes(StandardCharsets.UTF_8), 120);
    }

    /** Each form that covers the testkit's 127.0.0.1 keeps StartSession, the WebSocket and the rest off the proxy. */
    @ParameterizedTest(name = "NO_PROXY={0}")
    @ValueSource(strings = {"127.0.0.1", "127.0.0.0/8", "*", "127.0.0.1,localhost,::1",
            " LOCALHOST , [::1] ,127.0.0.1 ", "10.0.0.0/8,.127.0.0.1,*.amazonaws.com", "127.0.0.1:{api},127.0.0.1:{data}"})
    void startStaysDirectForEachNoProxyFormCoveringTheService(String noProxy) throws Exception {
        String value = noProxy.replace("{api}", String.valueOf(apiPort()))
                .replace("{data}", String.valueOf(local.streamUrlBase().getPort()));
        try (TinyProxy proxy = TinyProxy.start(home)) {
            Launchers.Result result = shell(env(proxy, value), "direct");
            assertThat(result.exitCode()).as(result.err()).isZero();
            assertThat(result.out()).contains("direct-42");
            assertThat(result.err()).doesNotContain("Exception", "Dangling meta character");
            assertThat(proxy.requests()).as("nothing through the proxy").isEmpty();
        }
    }

    @Test
    void startGoesThroughTheProxyWhenNoProxyDoesNotCoverTheService() throws Exception {
        try (TinyProxy proxy = TinyProxy.start(home)) {
            Launchers.Result result = shell(env(proxy, "localhost,::1,.internal.example"), "proxied");
            assertThat(result.exitCode()).as(result.err()).isZero();
            assertThat(result.out()).contains("proxied-42");
            // StartSession, then the data channel; the remote shell's exit ends the session on the agent's side
            assertThat(proxy.requests()).startsWith(ssmCall(), webSocket());
        }
    }

    /** A port forward through the proxy: StartSession and the WebSocket through it, bytes both ways, TerminateSession on exit. */
    @Test
    void portForwardGoesThroughTheProxyAndCarriesBytes() throws Exception {
        try (TinyProxy proxy = TinyProxy.start(home);
             ServerSocket echo = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            CompletableFuture.runAsync(() -> {
                try (Socket s = echo.accept()) {
                    s.getInputStream().transferTo(s.getOutputStream());
                } catch (IOException ignored) {
                    // the test ended
                }
            });
            ProcessBuilder builder = new ProcessBuilder(Launchers.bin().resolve("ssm-session").toString(), "--endpoint-url",
                    local.ssmEndpoint().toString(), "port-forward", "--target", local.defaultTarget(),
                    "-L", "0:" + echo.getLocalPort()).redirectErrorStream(true);
            builder.environment().putAll(env(proxy, "localhost"));
            Path log = home.resolve("port-forward.log");
            builder.environment().put("SSM_SESSION_LOG_FILE", log.toString());
            Process process = builder.start();
            try {
                BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
                Matcher opened = null;
                StringBuilder seen = new StringBuilder();
                for (String line; (line = lines.readLine()) != null; ) {
                    seen.append(line).append('\n');
                    Matcher m = PORT_OPENED.matcher(line);
                    if (m.find()) {
                        opened = m;
                        break;
                    }
                }
                assertThat(opened).as("the forward's output:\n" + seen).isNotNull();
                CompletableFuture<String> rest = CompletableFuture.supplyAsync(() -> {
                    java.io.StringWriter text = new java.io.StringWriter();
                    try {
                        lines.transferTo(text);
                    } catch (IOException ignored) {
                        // the process ended
                    }
                    return text.toString();
                });

                byte[] data = new byte[100_000];
                new java.util.Random(7).nextBytes(data);
                try (Socket client = new Socket(InetAddress.getLoopbackAddress(), Integer.parseInt(opened.group(1)))) {
                    client.setSoTimeout(60_000);
                    OutputStream out = client.getOutputStream();
                    CompletableFuture<Void> upload = CompletableFuture.runAsync(() -> {
                        try {
                            out.write(data);
                            out.flush();
                        } catch (IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    });
                    InputStream in = client.getInputStream();
                    assertThat(in.readNBytes(data.length)).as("the echo").isEqualTo(data);
                    upload.get(60, TimeUnit.SECONDS);
                }
                assertThat(proxy.requests()).startsWith(ssmCall(), webSocket());
                int mark = proxy.requests().size();

                // SIGTERM, as a service manager or `kill` stops it: the forward ends its session
                new ProcessBuilder("kill", "-TERM", Long.toString(process.pid())).start().waitFor();
                assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
                String output = seen + rest.get(10, TimeUnit.SECONDS) + "\nlog:\n"
                        + (java.nio.file.Files.exists(log) ? java.nio.file.Files.readString(log) : "(none)");
                assertThat(output).contains("Terminate signal received, exiting.").doesNotContain("Exception");
                assertThat(local.session(opened.group(2)).orElseThrow().status()).as(output).isEqualTo("TERMINATED");
                assertThat(proxy.awaitRequestsSince(mark, 1)).as("TerminateSession; output:\n" + output)
                        .containsExactly(ssmCall());
            } finally {
                process.destroyForcibly();
            }
        }
    }
}
