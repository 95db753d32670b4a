package dev.ssmsession.client.it;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.ssmsession.client.SessionException;
import dev.ssmsession.client.SessionManager;
import dev.ssmsession.client.SessionRequest;
import dev.ssmsession.client.SessionToken;
import dev.ssmsession.testkit.TinyProxy;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * An https:// SSM endpoint through tinyproxy (HTTPS_PROXY, CONNECT), as against AWS: the Basic
 * credentials go to the proxy on the CONNECT and never to the endpoint, and the endpoint's
 * certificate is checked against AWS_CA_BUNDLE (what a TLS-intercepting proxy needs) inside the tunnel.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ProxyTlsIntegrationTest {
    private static final String START_SESSION = "{\"SessionId\":\"s-tls\",\"TokenValue\":\"token\","
            + "\"StreamUrl\":\"wss://127.0.0.1:9/v1/data-channel/s-tls?role=publish_subscribe\"}";

    @TempDir
    static Path dir;
    private static Path caBundle;
    private static HttpsServer ssm;
    private static final List<Headers> received = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void startTlsEndpoint() throws Exception {
        assumeTrue(TinyProxy.binary().isPresent(), "tinyproxy is not installed (apt-get install tinyproxy; .ci/run "
                + "installs it): the real-proxy tests are skipped");
        Path ks = dir.resolve("ssm.p12");
        keytool("-genkeypair", "-alias", "ssm", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2",
                "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1",
                "-keystore", ks.toString(), "-storetype", "PKCS12", "-storepass", "changeit", "-keypass", "changeit");
        caBundle = dir.resolve("ca.pem");
        keytool("-exportcert", "-rfc", "-alias", "ssm", "-keystore", ks.toString(), "-storetype", "PKCS12",
                "-storepass", "changeit", "-file", caBundle.toString());
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (FileInputStream in = new FileInputStream(ks.toFile())) {
            store.load(in, "changeit".toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(store, "changeit".toCharArray());
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(kmf.getKeyManagers(), null, null);
        ssm = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 10);
        ssm.setHttpsConfigurator(new HttpsConfigurator(tls));
        ssm.createContext("/", exchange -> {
            received.add(exchange.getRequestHeaders());
            exchange.getRequestBody().readAllBytes();
            byte[] body = START_SESSION.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.1");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        ssm.start();
    }

    @AfterAll
    static void stop() {
        if (ssm != null) {
            ssm.stop(0);
        }
    }

    private static SessionManager manager(String proxyUrl, boolean withCaBundle) {
        Map<String, String> env = new HashMap<>(Map.of(
                "AWS_REGION", "us-east-1",
                "AWS_ENDPOINT_URL_SSM", "https://127.0.0.1:" + ssm.getAddress().getPort(),
                "HTTPS_PROXY", proxyUrl,
                "NO_PROXY", "127.0.0.1:1,localhost,::1"));
        if (withCaBundle) {
            env.put("AWS_CA_BUNDLE", caBundle.toString());
        }
        return SessionManager.builder().environment(env)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDTEST", "secret")))
                .build();
    }

    @Test
    void anHttpsEndpointIsReachedThroughConnectWithBasicCredentialsForTheProxyOnly() throws Exception {
        received.clear();
        try (TinyProxy proxy = TinyProxy.start(dir, "BasicAuth alice s3cr.et");
             SessionManager manager = manager(proxy.url("alice:s3cr%2Eet"), true)) {
            SessionToken token = manager.startSession(SessionRequest.shell("i-0123456789abcdef0"));
            assertThat(token.sessionId()).isEqualTo("s-tls");
            assertThat(proxy.requests()).containsExactly("CONNECT 127.0.0.1:" + ssm.getAddress().getPort() + " HTTP/1.1");
            assertThat(received).hasSize(1);
            assertThat(received.get(0).getFirst("X-Amz-Target")).isEqualTo("AmazonSSM.StartSession");
            assertThat(received.get(0).containsKey("Proxy-Authorization")).as("the proxy's credentials stay with the proxy")
                    .isFalse();
        }
    }

    @Test
    void withoutTheCaBundleTheEndpointBehindTheProxyIsNotTrusted() throws Exception {
        try (TinyProxy proxy = TinyProxy.start(dir);
             SessionManager manager = manager(proxy.url(), false)) {
            assertThatThrownBy(() -> manager.startSession(SessionRequest.shell("i-0123456789abcdef0")))
                    .isInstanceOf(SessionException.class).hasMessageContaining("TLS");
            assertThat(proxy.requests()).first().asString().startsWith("CONNECT 127.0.0.1:");
        }
    }

    @Test
    void aConnectAnsweredWith407GivesOneMessageNamingTheProxy() throws Exception {
        try (TinyProxy proxy = TinyProxy.start(dir, "BasicAuth alice s3cret");
             SessionManager manager = manager(proxy.url(), true)) {
            assertThatThrownBy(() -> manager.startSession(SessionRequest.shell("i-0123456789abcdef0")))
                    .isInstanceOfSatisfying(SessionException.class, e -> {
                        assertThat(e.reason()).isEqualTo(SessionException.Reason.CONFIGURATION);
                        assertThat(e.getMessage()).contains("proxy 127.0.0.1:" + proxy.port()
                                + " (HTTPS_PROXY) requires authentication (HTTP/1.", " 407 ");
                    });
        }
    }

    private static void keytool(String... args) throws IOException, InterruptedException {
        Path tool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        List<String> cmd = new java.util.ArrayList<>(List.of(tool.toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("keytool failed: " + out);
        }
    }
}
