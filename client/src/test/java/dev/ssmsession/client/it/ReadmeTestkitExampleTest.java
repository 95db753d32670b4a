package dev.ssmsession.client.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ssmsession.client.CommandResult;
import dev.ssmsession.client.SessionManager;
import dev.ssmsession.testkit.FaultPlan;
import dev.ssmsession.testkit.LocalSessionManager;
import dev.ssmsession.testkit.LocalSessionManagerExtension;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/** The README's "In a JUnit 5 test" example, verbatim, so the front door stays true. */
class ReadmeTestkitExampleTest {

    @RegisterExtension
    static final LocalSessionManagerExtension LOCAL = new LocalSessionManagerExtension(
            LocalSessionManager.builder()
                    .target("i-0123456789abcdef0")          // first target = default
                    .offlineTarget("i-0ffffffffffffffff")   // StartSession → TargetNotConnected
                    .kmsEncryption(true)                    // shells KMS-encrypted
                    .faults(FaultPlan.builder().drop(0.05).reorder(0.05).cutAfterFrames(500).build())
                    .seed(42));

    @Test
    void runsACommand(LocalSessionManager local) {          // or LOCAL.get()
        try (SessionManager ssm = SessionManager.builder()
                .region(local.region())
                .ssmEndpoint(local.ssmEndpoint()).kmsEndpoint(local.kmsEndpoint())
                .credentialsProvider(StaticCredentialsProvider.create(AwsSessionCredentials.create(
                        local.credentials().accessKeyId(), local.credentials().secretAccessKey(),
                        local.credentials().sessionToken())))
                .environment(Map.of())                  // ignore the developer's AWS_* variables
                .build()) {
            CommandResult r = ssm.run(local.defaultTarget(), "echo hi; exit 3", Duration.ofSeconds(30));
            assertThat(r.exitCode()).hasValue(3);
            assertThat(r.stdoutText()).contains("hi");
        }
    }
}
