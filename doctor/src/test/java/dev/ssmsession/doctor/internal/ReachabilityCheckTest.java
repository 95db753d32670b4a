package dev.ssmsession.doctor.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ssmsession.client.SessionManager;
import dev.ssmsession.client.internal.ManagerInternals;
import dev.ssmsession.doctor.CheckResult;
import dev.ssmsession.doctor.Verdict;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/** Where the path from this machine to the endpoints breaks: DNS, TCP, TLS, or the proxy; over real loopback sockets. */
class ReachabilityCheckTest {
    static CheckResult check(Map<String, String> env, URI ssm, URI messages) {
        try (SessionManager m = SessionManager.builder().region("us-east-1").environment(env)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "secret")))
                .ssmEndpoint(ssm).ssmMessagesEndpoint(messages).build();
             Aws aws = new Aws(ManagerInternals.awsSetup(m))) {
            return new ReachabilityCheck(aws, Duration.ofSeconds(5)).run();
        }
    }

    static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Test
    void bothEndpointsReachablePass() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            URI u = URI.create("http://127.0.0.1:" + s.getLocalPort());
            CheckResult r = check(Map.of(), u, URI.create("ws://127.0.0.1:" + s.getLocalPort()));
            assertThat(r.verdict()).isEqualTo(Verdict.PASS);
            assertThat(r.detail()).contains("ssm http://127.0.0.1:" + s.getLocalPort() + " (127.0.0.1, TCP ok, no TLS (http))");
        }
    }

    @Test
    void closedPortFailsAtTcp() throws IOException {
        int port = closedPort();
        CheckResult r = check(Map.of(), URI.create("http://127.0.0.1:" + port), URI.create("ws://127.0.0.1:" + port));
        assertThat(r.verdict()).isEqualTo(Verdict.FAIL);
        assertThat(r.detail()).startsWith("ssm at http://127.0.0.1:" + port + ": TCP to 127.0.0.1:" + port + " failed");
        assertThat(r.fix()).contains("allow TCP " + port + " out");
    }

    @Test
    void nameThatDoesNotResolveFailsAtDnsAndNamesTheVariable() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            CheckResult r = check(Map.of(), URI.create("http://127.0.0.1:" + s.getLocalPort()),
                    URI.create("wss://ssmmessages.no-such-host.invalid"));
            assertThat(r.verdict()).isEqualTo(Verdict.FAIL);
            assertThat(r.detail()).contains("ssmmessages at wss://ssmmessages.no-such-host.invalid: the name "
                    + "ssmmessages.no-such-host.invalid does not resolve");
            assertThat(r.fix()).contains("AWS_ENDPOINT_URL_SSMMESSAGES");
        }
    }

    @Test
    void serverThatDoesNotSpeakTlsFailsAtTls() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            Thread server = new Thread(() -> {
                try (Socket c = s.accept(); OutputStream out = c.getOutputStream()) {
                    out.write("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                } catch (IOException ignored) {
                    // the client went away: nothing to answer
                }
            }, "plain-server");
            server.setDaemon(true);
            server.start();
            CheckResult r = check(Map.of(), URI.create("https://127.0.0.1:" + s.getLocalPort()),
                    URI.create("wss://127.0.0.1:" + s.getLocalPort()));
            assertThat(r.verdict()).isEqualTo(Verdict.FAIL);
            assertThat(r.detail()).contains("TLS with 127.0.0.1:" + s.getLocalPort() + " failed");
            assertThat(r.fix()).contains("AWS_CA_BUNDLE");
            server.join(5000);
        }
    }

    @Test
    void withAProxyTheProxyIsWhatMustAnswer() throws IOException {
        int port = closedPort();
        CheckResult r = check(Map.of("HTTPS_PROXY", "http://127.0.0.1:" + port),
                URI.create("https://ssm.us-east-1.amazonaws.com"), URI.create("wss://ssmmessages.us-east-1.amazonaws.com"));
        assertThat(r.verdict()).isEqualTo(Verdict.FAIL);
        assertThat(r.detail()).contains("the proxy 127.0.0.1:" + port + " does not answer");
        assertThat(r.fix()).contains("HTTPS_PROXY");
    }
}
