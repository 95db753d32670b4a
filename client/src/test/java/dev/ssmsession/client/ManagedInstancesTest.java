package dev.ssmsession.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ssmsession.testkit.LocalSessionManager;
import dev.ssmsession.testkit.LocalSessionManagerExtension;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/** {@link SessionManager#managedInstances()} against the testkit's DescribeInstanceInformation. */
class ManagedInstancesTest {
    @RegisterExtension
    static final LocalSessionManagerExtension LOCAL = new LocalSessionManagerExtension(LocalSessionManager.builder()
            .target("i-0aaaaaaaaaaaaaaa1", "web-1").offlineTarget("i-0bbbbbbbbbbbbbbb2"));

    @Test
    void listsIdNamePlatformAndPingStatus() {
        try (SessionManager ssm = SessionManagerCloseTest.managerFor(LOCAL.get()).build()) {
            assertThat(ssm.managedInstances()).containsExactly(
                    new ManagedInstance("i-0aaaaaaaaaaaaaaa1", Optional.of("web-1"), Optional.of("testkit"),
                            Optional.of("Online")),
                    new ManagedInstance("i-0bbbbbbbbbbbbbbb2", Optional.empty(), Optional.of("testkit"),
                            Optional.of("ConnectionLost")));
        }
    }

    @Test
    void aRefusedCallIsASessionExceptionThatNamesTheOperation() {
        try (SessionManager ssm = SessionManagerCloseTest.managerFor(LOCAL.get())
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create("AKIAUNKNOWN000000000", "not-the-secret")))
                .build()) {
            assertThatThrownBy(ssm::managedInstances).isInstanceOf(SessionException.class)
                    .hasMessageContaining("ssm:DescribeInstanceInformation")
                    .hasMessageNotContaining("not-the-secret");
        }
    }
}
