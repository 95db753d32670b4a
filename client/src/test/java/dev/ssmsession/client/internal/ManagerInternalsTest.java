package dev.ssmsession.client.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ssmsession.client.SessionManager;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/** The doctor's way to a manager's AwsSetup: the manager's own, and no one can install another accessor. */
@Tag("pure")
class ManagerInternalsTest {
    @Test
    void givesTheManagersOwnSetup() {
        try (SessionManager manager = SessionManager.builder().region("eu-west-1")
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "secret")))
                .ssmEndpoint(URI.create("http://127.0.0.1:1001")).environment(Map.of()).build()) {
            AwsSetup setup = ManagerInternals.awsSetup(manager);
            assertThat(setup).isSameAs(ManagerInternals.awsSetup(manager));
            assertThat(setup.region()).isEqualTo(manager.region());
            assertThat(setup.ssmEndpoint()).contains(URI.create("http://127.0.0.1:1001"));
        }
    }

    @Test
    void theAccessorCannotBeReplaced() {
        try (SessionManager manager = SessionManager.builder().region("eu-west-1")
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "secret")))
                .environment(Map.of()).build()) {
            assertThatThrownBy(() -> ManagerInternals.install(m -> null)).isInstanceOf(IllegalStateException.class);
            assertThat(ManagerInternals.awsSetup(manager)).isNotNull();
        }
    }
}
