package dev.ssmsession.client.internal;

import dev.ssmsession.client.SessionException;
import dev.ssmsession.client.SessionException.Reason;
import dev.ssmsession.client.SessionRequest;
import org.junit.jupiter.api.AfterEach;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProviderChain;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.ssm.SsmClient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** AWS errors from the real SDK client, mapped to messages that say what to do. */
class AwsErrorsTest {
    private FakeSsm ssm;

    @BeforeEach
    void start() throws Exception {
        ssm = new FakeSsm();
    }

    @AfterEach
    void stop() {
        ssm.close();
    }

    @ParameterizedTest
    @CsvSource({
            "TargetNotConnected, 400, TARGET_NOT_CONNECTED, ec2messages",
            "AccessDeniedException, 400, ACCESS_DENIED, ssm:StartSession",
            "ExpiredTokenException, 400, CREDENTIALS, expired",
            "UnrecognizedClientException, 400, CREDENTIALS, did not accept your credentials",
            "InvalidDocument, 400, INVALID_REQUEST, document name",
            "ThrottlingException, 400, THROTTLED, throttled",
            "SomethingNew, 403, ACCESS_DENIED, ssm:StartSession",
            "InternalServerError, 500, SERVICE, InternalServerError"})
    void startSessionErrors(String code, int status, Reason reason, String hint) {
        ssm.reply("StartSession", status, "{\"__type\":\"" + code + "\",\"message\":\"detail from AWS\"}");
        SsmApi api = new SsmApi(ssm.client);
        assertThatThrownBy(() -> api.startSession(SessionRequest.shell("i-0abc")))
                .isInstanceOf(SessionException.class)
                .satisfies(e -> assertThat(((SessionException) e).reason()).isEqualTo(reason))
                .hasMessageContaining("i-0abc")
                .hasMessageContaining(hint);
    }

    @Test
    void resumeWithoutTokenMeansTimedOut() {
        ssm.reply("ResumeSession", 200, "{\"SessionId\":\"s-1\"}");
        assertThat(new SsmApi(ssm.client).resumeSession("s-1")).isEmpty();
        ssm.reply("ResumeSession", 200, "{\"SessionId\":\"s-1\",\"TokenValue\":\"T2\",\"StreamUrl\":\"wss://x/y\"}");
        assertThat(new SsmApi(ssm.client).resumeSession("s-1")).contains("T2");
    }

    @Test
    void aStartSessionResponseWithAnUnusableStreamUrlIsAClearErrorWithoutTheToken() {
        ssm.reply("StartSession", 200, "{\"SessionId\":\"s-9\",\"TokenValue\":\"SECRET-TOKEN\",\"StreamUrl\":\"wss://h/a b\"}");
        assertThatThrownBy(() -> new SsmApi(ssm.client).startSession(SessionRequest.shell("i-0abc")))
                .isInstanceOf(SessionException.class)
                .satisfies(e -> assertThat(((SessionException) e).reason()).isEqualTo(Reason.SERVICE))
                .hasMessageContaining("i-0abc").hasMessageContaining("StreamUrl")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("SECRET"));
        ssm.reply("StartSession", 200, "{\"SessionId\":\"s-9\",\"TokenValue\":\"SECRET-TOKEN\",\"StreamUrl\":\"wss:///v1/x\"}");
        assertThatThrownBy(() -> new SsmApi(ssm.client).startSession(SessionRequest.shell("i-0abc")))
                .isInstanceOf(SessionException.class).hasMessageContaining("no host")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("SECRET"));
    }

    @Test
    void startSessionSendsTheParameters() {
        ssm.reply("StartSession", 200, "{\"SessionId\":\"s-9\",\"TokenValue\":\"T\",\"StreamUrl\":\"wss://h/v1/data-channel/s-9\"}");
        var token = new SsmApi(ssm.client).startSession(SessionRequest.portForwarding("i-1", "db", 5432));
        assertThat(token.sessionId()).isEqualTo("s-9");
        assertThat(ssm.calls).containsExactly("StartSession");
    }

    @Test
    void noCredentialsIsOneShortMessageWithTheProviderChainOnlyInTheCause() {
        AwsCredentialsProvider chain = AwsCredentialsProviderChain.builder().reuseLastProviderEnabled(false)
                .credentialsProviders(
                        failing("Unable to load credentials from system settings. Access key must be specified either "
                                + "via environment variable (AWS_ACCESS_KEY_ID) or system property (aws.accessKeyId)."),
                        failing("Profile file contained no credentials for profile 'default': ProfileFile(sections=[])"),
                        failing("Failed to load credentials from IMDS."))
                .build();
        try (SsmClient client = ssm.client(chain)) {
            assertThatThrownBy(() -> new SsmApi(client).startSession(SessionRequest.shell("i-0abc")))
                    .isInstanceOfSatisfying(SessionException.class, e -> {
                        assertThat(e.reason()).isEqualTo(Reason.CREDENTIALS);
                        assertThat(e.getMessage()).isEqualTo("No AWS credentials found (tried environment variables, "
                                + "the shared config/credentials files, SSO, container and instance metadata). "
                                + "Configure a profile (`aws configure` / `aws sso login`) or set "
                                + "AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY.");
                        assertThat(e.getCause()).hasMessageContaining("providers in the chain")
                                .hasMessageContaining("IMDS");
                    });
        }
        assertThat(ssm.calls).isEmpty();
    }

    @Test
    void oneFailingProviderKeepsItsOwnShortReason() {
        try (SsmClient client = ssm.client(failing("Profile file contained no credentials for profile 'ops': "
                + "ProfileFile(sections=[profiles], profiles=[" + "x".repeat(2000) + "])"))) {
            assertThatThrownBy(() -> new SsmApi(client).startSession(SessionRequest.shell("i-0abc")))
                    .isInstanceOfSatisfying(SessionException.class, e -> {
                        assertThat(e.reason()).isEqualTo(Reason.CREDENTIALS);
                        assertThat(e.getMessage()).startsWith("No usable AWS credentials: Profile file contained no "
                                + "credentials for profile 'ops'").hasSizeLessThan(400);
                    });
        }
    }

    private static AwsCredentialsProvider failing(String message) {
        return () -> {
            throw SdkClientException.create(message);
        };
    }

    @Test
    void anEndpointThatRefusesConnectionsIsNamed() throws Exception {
        int port;
        try (java.net.ServerSocket free = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        try (SsmClient client = SsmClient.builder()
                .endpointOverride(java.net.URI.create("http://127.0.0.1:" + port))
                .region(software.amazon.awssdk.regions.Region.US_EAST_1)
                .credentialsProvider(software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
                        software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create("AKID", "SECRETKEY")))
                .httpClient(software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.create())
                .build()) {
            assertThatThrownBy(() -> new SsmApi(client).startSession(SessionRequest.shell("i-0abc")))
                    .isInstanceOfSatisfying(SessionException.class, e -> {
                        assertThat(e.reason()).isEqualTo(Reason.SERVICE);
                        assertThat(e.getMessage()).isEqualTo("Cannot reach the SSM endpoint http://127.0.0.1:" + port
                                + ": connection refused (ssm:StartSession for target i-0abc).");
                    });
        }
    }

    @Test
    void theDefaultEndpointIsTheRegionalOneAndAnOverrideLosesItsUserInfo() {
        var creds = software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
                software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create("AKID", "SECRETKEY"));
        try (SsmClient regional = SsmClient.builder().region(software.amazon.awssdk.regions.Region.EU_WEST_1)
                .credentialsProvider(creds).httpClient(software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.create())
                .build();
             SsmClient overridden = SsmClient.builder().region(software.amazon.awssdk.regions.Region.EU_WEST_1)
                     .endpointOverride(java.net.URI.create("https://user:PASSWORD@vpce.example:8443/ssm?x=1"))
                     .credentialsProvider(creds).httpClient(software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.create())
                     .build()) {
            assertThat(AwsErrors.endpointOf(regional.serviceClientConfiguration(), "ssm"))
                    .isEqualTo("https://ssm.eu-west-1.amazonaws.com");
            assertThat(AwsErrors.endpointOf(overridden.serviceClientConfiguration(), "ssm"))
                    .isEqualTo("https://vpce.example:8443/ssm");
        }
    }
}
