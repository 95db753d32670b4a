package dev.ssmsession.client.it;

import dev.ssmsession.client.PortForward;
import dev.ssmsession.client.Session;
import dev.ssmsession.client.SessionException;
import dev.ssmsession.client.SessionManager;
import dev.ssmsession.client.SessionRequest;
import dev.ssmsession.client.ShellSession;
import dev.ssmsession.protocol.channel.DataChannelConfig;
import dev.ssmsession.testkit.LocalSessionManager;
import dev.ssmsession.testkit.LocalSessionManagerExtension;
import dev.ssmsession.testkit.SessionView;
import dev.ssmsession.testkit.TestkitCredentials;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ReconnectIntegrationTest {
    @RegisterExtension
    static final LocalSessionManagerExtension LOCAL = new LocalSessionManagerExtension(
            LocalSessionManager.builder().requireSigV4(true));

    /**
     * Rotating temporary credentials: every resolution is a "refresh" that the testkit mints, with a new
     * access key, secret and session token, as STS does; the testkit refuses API calls signed otherwise.
     */
    static final class RotatingCredentials implements AwsCredentialsProvider {
        final AtomicInteger resolutions = new AtomicInteger();
        private final LocalSessionManager local;

        RotatingCredentials(LocalSessionManager local) {
            this.local = local;
        }

        @Override
        public AwsCredentials resolveCredentials() {
            resolutions.incrementAndGet();
            TestkitCredentials fresh = local.issueCredentials();
            return AwsSessionCredentials.create(fresh.accessKeyId(), fresh.secretAccessKey(), fresh.sessionToken());
        }
    }

    @Test
    void portForwardSurvivesCutsWithNothingLostAndFreshCredentials() throws Exception {
        LocalSessionManager local = LOCAL.get();
        RotatingCredentials creds = new RotatingCredentials(local);
        try (SessionManager manager = Testkit.managerFor(local).credentialsProvider(creds)
                .dataChannelConfig(DataChannelConfig.builder().messagesPerSecond(0).build()).build();
             EchoServer echo = new EchoServer();
             PortForward fwd = manager.forwardPort(local.defaultTarget(), null, echo.port(), PortForward.Options.defaults())) {
            fwd.session().awaitInfo(Duration.ofSeconds(20));
            try (Socket s = new Socket(fwd.localAddress().getAddress(), fwd.localAddress().getPort())) {
                byte[] data = Transfers.random(600_000, 42);
                OutputStream out = s.getOutputStream();
                InputStream in = s.getInputStream();
                CompletableFuture<byte[]> reader = CompletableFuture.supplyAsync(() -> {
                    try {
                        return in.readNBytes(data.length);
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                });
                int before = creds.resolutions.get();
                for (int off = 0, chunk = 0; off < data.length; off += 20_000, chunk++) {
                    out.write(data, off, Math.min(20_000, data.length - off));
                    if (chunk == 5 || chunk == 15) {
                        local.cutConnection(fwd.sessionId());  // mid-stream, both directions in flight
                    }
                }
                byte[] got = reader.get(60, TimeUnit.SECONDS);
                assertThat(Transfers.sha256(got)).isEqualTo(Transfers.sha256(data));
                assertThat(fwd.session().reconnects()).isGreaterThanOrEqualTo(1);
                assertThat(creds.resolutions.get()).isGreaterThan(before);
            }
            SessionView view = local.session(fwd.sessionId()).orElseThrow();
            assertThat(view.upgrades()).hasSizeGreaterThanOrEqualTo(2)
                    .allSatisfy(u -> assertThat(u.signed() && u.accepted() && u.hasSecurityToken()).isTrue());
        }
    }

    @Test
    void shellKeepsWorkingAfterACut() throws Exception {
        LocalSessionManager local = LOCAL.get();
        try (SessionManager manager = Testkit.managerFor(local).build();
             Session session = manager.start(SessionRequest.shell(local.defaultTarget()))) {
            ShellSession shell = session.shell();
            shell.stdin().write("echo one-$((1+0))\r".getBytes(StandardCharsets.UTF_8));
            ShellSessionIntegrationTest.readUntil(shell.stdout(), "one-1");
            local.cutConnection(session.sessionId());
            shell.stdin().write("echo two-$((1+1))\r".getBytes(StandardCharsets.UTF_8));
            assertThat(ShellSessionIntegrationTest.readUntil(shell.stdout(), "two-2")).contains("two-2");
            assertThat(session.reconnects()).isEqualTo(1);
        }
    }

    @Test
    void givesUpAtTheReconnectDeadlineWithAClearError() throws Exception {
        LocalSessionManager local = LocalSessionManager.builder().build().start();
        try (SessionManager manager = Testkit.managerFor(local).reconnectDeadline(Duration.ofSeconds(3)).build();
             Session session = manager.start(SessionRequest.shell(local.defaultTarget()))) {
            ShellSession shell = session.shell();
            shell.stdin().write("echo up\r".getBytes(StandardCharsets.UTF_8));
            ShellSessionIntegrationTest.readUntil(shell.stdout(), "up");
            local.close();  // the whole service disappears: every ResumeSession and reconnect fails
            assertThatThrownBy(() -> session.awaitEnd(Duration.ofSeconds(30)))
                    .isInstanceOf(SessionException.class)
                    .satisfies(e -> assertThat(((SessionException) e).reason()).isEqualTo(SessionException.Reason.CONNECTION_LOST))
                    .hasMessageContaining(session.sessionId())
                    .hasMessageContaining("3 s");
            assertThatThrownBy(() -> shell.stdout().readAllBytes()).isInstanceOf(java.io.IOException.class);
        } finally {
            local.close();
        }
    }
}
