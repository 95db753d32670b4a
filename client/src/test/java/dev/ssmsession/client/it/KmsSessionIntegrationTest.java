package dev.ssmsession.client.it;

import dev.ssmsession.client.CommandResult;
import dev.ssmsession.client.Session;
import dev.ssmsession.client.SessionInfo;
import dev.ssmsession.client.SessionManager;
import dev.ssmsession.client.SessionRequest;
import dev.ssmsession.client.ShellSession;
import dev.ssmsession.testkit.LocalSessionManager;
import dev.ssmsession.testkit.LocalSessionManagerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** KMS-encrypted sessions: GenerateDataKey, the challenge, and the agent's RandomChallenge requirement. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class KmsSessionIntegrationTest {
    @RegisterExtension
    static final LocalSessionManagerExtension LOCAL = new LocalSessionManagerExtension(
            LocalSessionManager.builder().kmsEncryption(true).requireKmsChallengeAck(true));

    @Test
    void encryptedShellNegotiatesKmsAndEchoes() throws Exception {
        try (SessionManager manager = Testkit.managerFor(LOCAL.get()).build();
             Session session = manager.start(SessionRequest.shell(LOCAL.get().defaultTarget()))) {
            ShellSession shell = session.shell();
            SessionInfo info = session.awaitInfo(Duration.ofSeconds(20));
            assertThat(info.encrypted()).isTrue();
            assertThat(info.customerMessage()).isEqualTo("This session is encrypted using AWS KMS.");
            shell.stdin().write("echo secret-$((2+3))\r".getBytes(StandardCharsets.UTF_8));
            assertThat(ShellSessionIntegrationTest.readUntil(shell.stdout(), "secret-5")).contains("secret-5");

            // A reconnect keeps the session keys: the engine, and with it the cipher, survives.
            LOCAL.get().cutConnection(session.sessionId());
            shell.stdin().write("echo again-$((3+4))\r".getBytes(StandardCharsets.UTF_8));
            assertThat(ShellSessionIntegrationTest.readUntil(shell.stdout(), "again-7")).contains("again-7");
            assertThat(session.reconnects()).isEqualTo(1);
        }
    }

    @Test
    void encryptedCommandKeepsStreamsAndExitCode() {
        try (SessionManager manager = Testkit.managerFor(LOCAL.get()).build()) {
            CommandResult r = manager.run(LOCAL.get().defaultTarget(), "echo enc-out; echo enc-err >&2; exit 4",
                    Duration.ofSeconds(30));
            assertThat(r.stdoutText()).contains("enc-out");
            assertThat(r.stderrText()).contains("enc-err");
            assertThat(r.exitCode()).hasValue(4);
        }
    }
}
