package dev.ssmsession.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ssmsession.client.SessionManager;
import dev.ssmsession.client.internal.ManagerInternals;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * The doctor's EC2, IAM and STS clients come from the session library's configuration: its region and
 * {@code AWS_ENDPOINT_URL_<SERVICE>}, else {@code AWS_ENDPOINT_URL}, from the manager's environment (not this
 * process's).
 */
@Tag("pure")
class SharedConfigurationTest {
    @Test
    void serviceVariableBeatsTheGlobalOneAndTheRegionIsTheManagers() {
        try (SessionManager manager = SessionManager.builder().region("eu-west-1")
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "secret")))
                .environment(Map.of("AWS_ENDPOINT_URL", "http://127.0.0.1:1001", "AWS_ENDPOINT_URL_EC2", "http://127.0.0.1:1002"))
                .build();
             Ec2Client ec2 = ManagerInternals.awsSetup(manager).configure(Ec2Client.builder(), "EC2");
             IamClient iam = ManagerInternals.awsSetup(manager).configure(IamClient.builder(), "IAM");
             StsClient sts = ManagerInternals.awsSetup(manager).configure(StsClient.builder(), "sts")) {
            assertThat(ec2.serviceClientConfiguration().endpointOverride()).contains(URI.create("http://127.0.0.1:1002"));
            assertThat(iam.serviceClientConfiguration().endpointOverride()).contains(URI.create("http://127.0.0.1:1001"));
            assertThat(sts.serviceClientConfiguration().endpointOverride()).contains(URI.create("http://127.0.0.1:1001"));
            assertThat(ec2.serviceClientConfiguration().region().id()).isEqualTo("eu-west-1");
        }
    }

    @Test
    void withoutVariablesTheSdkPicksTheRegionalEndpoint() {
        try (SessionManager manager = SessionManager.builder().region("eu-west-1")
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "secret")))
                .environment(Map.of()).build();
             Ec2Client ec2 = ManagerInternals.awsSetup(manager).configure(Ec2Client.builder(), "EC2")) {
            assertThat(ec2.serviceClientConfiguration().endpointOverride()).isEmpty();
        }
    }
}
