package dev.ssmsession.client.internal;

import org.java_websocket.server.DefaultSSLWebSocketServerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import java.io.FileInputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * TLS is always verified: a server certificate is trusted only through the CA bundle, and its name
 * must match. The certificate is made by the JDK's keytool at test time.
 */
class TlsTrustTest {
    @TempDir
    static Path dir;
    private static Path pem;

    @BeforeAll
    static void startTlsServer() throws Exception {
        Path ks = dir.resolve("server.p12");
        keytool("-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2",
                "-dname", "CN=localhost", "-ext", "SAN=dns:localhost",
                "-keystore", ks.toString(), "-storetype", "PKCS12", "-storepass", "changeit", "-keypass", "changeit");
        pem = dir.resolve("ca.pem");
        keytool("-exportcert", "-rfc", "-alias", "server", "-keystore", ks.toString(), "-storetype", "PKCS12",
                "-storepass", "changeit", "-file", pem.toString());
        keyStore = ks;
    }

    private static Path keyStore;
    private LoopbackWebSocketServer server;

    /** A fresh server per test: a failed handshake may leave Java-WebSocket's SSL server unusable. */
    @BeforeEach
    void startServer() throws Exception {
        Path ks = keyStore;
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (FileInputStream in = new FileInputStream(ks.toFile())) {
            store.load(in, "changeit".toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(store, "changeit".toCharArray());
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), null, null);
        server = new LoopbackWebSocketServer();
        server.setWebSocketFactory(new DefaultSSLWebSocketServerFactory(ctx));
        server.startAndWait();
    }

    @AfterEach
    void stop() throws Exception {
        server.stop(1000);
    }

    private static void keytool(String... args) throws IOException, InterruptedException {
        Path tool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        List<String> cmd = new java.util.ArrayList<>(List.of(tool.toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("keytool failed: " + out);
        }
    }

    private static WebSocketConnection.Settings trusting(Path bundle) {
        return new WebSocketConnection.Settings(
                CaBundle.sslContext(bundle == null ? null : CaBundle.trustManagers(bundle)), null, 5000, 1 << 20);
    }

    private static final WebSocketConnection.Listener IGNORE = new WebSocketConnection.Listener() {
        @Override
        public void onFrame(byte[] frame) {
        }

        @Override
        public void onClosed(String reason) {
        }
    };

    @Test
    void theCaBundleMakesTheServerTrusted() throws Exception {
        assertThat(Files.readString(pem)).startsWith("-----BEGIN CERTIFICATE-----");
        try (WebSocketConnection c = WebSocketConnection.open(trusting(pem),
                URI.create("wss://localhost:" + server.getPort() + "/v1/data-channel/s"), Map.of(), "{\"tls\":1}", IGNORE)) {
            assertThat(server.texts.poll(5, TimeUnit.SECONDS)).isEqualTo("{\"tls\":1}");
        }
    }

    @Test
    void withoutTheBundleTheCertificateIsRejected() {
        assertThatThrownBy(() -> WebSocketConnection.open(trusting(null),
                URI.create("wss://localhost:" + server.getPort() + "/x"), Map.of(), "{}", IGNORE))
                .isInstanceOf(IOException.class).hasMessageContaining("cannot connect to localhost");
    }

    @Test
    void aNameTheCertificateDoesNotCoverIsRejected() throws Exception {
        // Trusted issuer, same server, but the certificate names only "localhost", not 127.0.0.1.
        assertThatThrownBy(() -> WebSocketConnection.open(trusting(pem),
                URI.create("wss://127.0.0.1:" + server.getPort() + "/x"), Map.of(), "{}", IGNORE))
                .isInstanceOf(IOException.class)
                .hasRootCauseInstanceOf(java.security.cert.CertificateException.class);
    }

    @Test
    void aFileWithoutCertificatesIsAConfigurationError() throws Exception {
        Path empty = Files.writeString(dir.resolve("empty.pem"), "not a certificate\n");
        assertThatThrownBy(() -> CaBundle.trustManagers(empty))
                .isInstanceOf(dev.ssmsession.client.SessionException.class).hasMessageContaining("empty.pem");
    }
}
