package dev.ssmsession.client;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SessionManagerConfigTest {
    private static final StaticCredentialsProvider CREDS =
            StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "SECRETKEYEXAMPLE"));

    @Test
    void regionAndEndpointsComeFromTheInjectedEnvironment() {
        try (SessionManager m = SessionManager.builder().credentialsProvider(CREDS)
                .environment(Map.of("AWS_REGION", "eu-central-1",
                        "AWS_ENDPOINT_URL", "http://127.0.0.1:1",
                        "AWS_ENDPOINT_URL_SSM", "http://127.0.0.1:2",
                        "HTTPS_PROXY", "http://user:PROXYPASS@proxy.local:3128",
                        "NO_PROXY", "localhost,.internal"))
                .build()) {
            assertThat(m.region().id()).isEqualTo("eu-central-1");
            assertThat(m.toString())
                    .contains("ssmEndpoint=http://127.0.0.1:2", "kmsEndpoint=http://127.0.0.1:1", "proxy.local:3128")
                    .doesNotContain("PROXYPASS", "SECRETKEYEXAMPLE", "AKIDEXAMPLE");
        }
    }

    @Test
    void explicitBuilderValuesWinOverTheEnvironment() {
        try (SessionManager m = SessionManager.builder().credentialsProvider(CREDS).region("us-west-2")
                .ssmEndpoint(URI.create("http://127.0.0.1:9"))
                .environment(Map.of("AWS_REGION", "eu-central-1", "AWS_ENDPOINT_URL_SSM", "http://127.0.0.1:2"))
                .build()) {
            assertThat(m.region().id()).isEqualTo("us-west-2");
            assertThat(m.toString()).contains("ssmEndpoint=http://127.0.0.1:9");
        }
    }

    @Test
    void rejectsAClientVersionThatIsNotFourNumbers() {
        assertThatThrownBy(() -> SessionManager.builder().credentialsProvider(CREDS).region("us-east-1")
                .environment(Map.of()).clientVersion("1.2").build())
                .isInstanceOf(SessionException.class).hasMessageContaining("1.2").hasMessageContaining("four");
    }

    @Test
    void namesTheBadEndpointVariable() {
        assertThatThrownBy(() -> SessionManager.builder().credentialsProvider(CREDS).region("us-east-1")
                .environment(Map.of("AWS_ENDPOINT_URL_KMS", "not a url")).build())
                .isInstanceOf(SessionException.class).hasMessageContaining("AWS_ENDPOINT_URL_KMS");
    }

    @Test
    void missingCaBundleIsAConfigurationError() {
        assertThatThrownBy(() -> SessionManager.builder().credentialsProvider(CREDS).region("us-east-1")
                .environment(Map.of("AWS_CA_BUNDLE", "/nonexistent/ca.pem")).build())
                .isInstanceOf(SessionException.class)
                .satisfies(e -> assertThat(((SessionException) e).reason()).isEqualTo(SessionException.Reason.CONFIGURATION))
                .hasMessageContaining("/nonexistent/ca.pem");
    }

    @Test
    void ssmMessagesEndpointRewritesTheStreamUrlKeepingPathAndQuery() {
        URI url = URI.create("wss://ssmmessages.eu-west-1.amazonaws.com/v1/data-channel/s-1?role=publish_subscribe");
        URI rewritten = dev.ssmsession.client.internal.AwsSetup.streamUrlRewrite(
                Optional.of(URI.create("https://vpce-0abc-xyz.ssmmessages.eu-west-1.vpce.amazonaws.com")), null).apply(url);
        assertThat(rewritten).hasToString(
                "wss://vpce-0abc-xyz.ssmmessages.eu-west-1.vpce.amazonaws.com/v1/data-channel/s-1?role=publish_subscribe");
        URI hostOnly = dev.ssmsession.client.internal.AwsSetup.streamUrlRewrite(Optional.empty(), "10.0.0.5").apply(url);
        assertThat(hostOnly).hasToString("wss://10.0.0.5/v1/data-channel/s-1?role=publish_subscribe");
        assertThat(dev.ssmsession.client.internal.AwsSetup.streamUrlRewrite(Optional.empty(), null).apply(url)).isEqualTo(url);
    }

    @Test
    void signingFollowsThePluginSwitchUnlessSetExplicitly() {
        try (SessionManager m = SessionManager.builder().credentialsProvider(CREDS).region("us-east-1")
                .environment(Map.of()).build()) {
            assertThat(m.toString()).contains("signUpgrade=true");
        }
        try (SessionManager m = SessionManager.builder().credentialsProvider(CREDS).region("us-east-1")
                .environment(Map.of("SSM_PLUGIN_SKIP_CLIENT_CONFIGURE", "true")).build()) {
            assertThat(m.toString()).contains("signUpgrade=false");
        }
        try (SessionManager m = SessionManager.builder().credentialsProvider(CREDS).region("us-east-1")
                .environment(Map.of("SSM_PLUGIN_SKIP_CLIENT_CONFIGURE", "true")).signUpgrade(true).build()) {
            assertThat(m.toString()).contains("signUpgrade=true");
        }
    }

    @Test
    void aProfileThatIsInNeitherFileIsNamedAsSuch(@TempDir Path dir) throws Exception {
        Map<String, String> env = profileFiles(dir);
        // No region anywhere: the missing profile is the problem to report, not the region.
        assertThatThrownBy(() -> SessionManager.builder().profile("nope").environment(env).build())
                .isInstanceOfSatisfying(SessionException.class, e -> {
                    assertThat(e.reason()).isEqualTo(SessionException.Reason.CONFIGURATION);
                    assertThat(e.getMessage()).isEqualTo("AWS profile 'nope' not found in " + dir.resolve("config")
                            + " or " + dir.resolve("credentials") + ".");
                });
        Map<String, String> viaVariable = new java.util.HashMap<>(env);
        viaVariable.put("AWS_PROFILE", "nope");
        viaVariable.put("AWS_REGION", "eu-west-1");
        assertThatThrownBy(() -> SessionManager.builder().environment(viaVariable).build())
                .isInstanceOf(SessionException.class)
                .hasMessage("AWS profile 'nope' (from AWS_PROFILE) not found in " + dir.resolve("config")
                        + " or " + dir.resolve("credentials") + ".");
    }

    @Test
    void profilesOfEitherFileAreFound(@TempDir Path dir) throws Exception {
        Map<String, String> env = profileFiles(dir);
        try (SessionManager m = SessionManager.builder().profile("dev").environment(env).build()) {
            assertThat(m.region().id()).isEqualTo("eu-north-1");  // from [profile dev] of the config file
        }
        try (SessionManager m = SessionManager.builder().profile("keys-only").region("us-east-1").environment(env).build()) {
            assertThat(m.region().id()).isEqualTo("us-east-1");
        }
    }

    @Test
    void aMissingRegionSaysWhereToSetItOnTheCommandLineAndInTheLibrary(@TempDir Path dir) throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(System.getenv("AWS_REGION") == null
                && System.getenv("AWS_DEFAULT_REGION") == null && System.getProperty("aws.region") == null);
        String imds = System.getProperty("aws.disableEc2Metadata");
        System.setProperty("aws.disableEc2Metadata", "true");
        try {
            assertThatThrownBy(() -> SessionManager.builder().profile("keys-only").environment(profileFiles(dir)).build())
                    .isInstanceOfSatisfying(SessionException.class, e -> {
                        assertThat(e.reason()).isEqualTo(SessionException.Reason.CONFIGURATION);
                        assertThat(e.getMessage()).isEqualTo("No AWS region set. Set one with --region or AWS_REGION, "
                                + "or as region in the profile 'keys-only' of " + dir.resolve("config")
                                + " (in the library: region(...)).");
                    });
        } finally {
            if (imds == null) {
                System.clearProperty("aws.disableEc2Metadata");
            } else {
                System.setProperty("aws.disableEc2Metadata", imds);
            }
        }
    }

    private static Map<String, String> profileFiles(Path dir) throws java.io.IOException {
        java.nio.file.Files.writeString(dir.resolve("config"), "[default]\nregion = us-west-2\n\n"
                + "[profile dev]\nregion = eu-north-1\n");
        java.nio.file.Files.writeString(dir.resolve("credentials"), "[keys-only]\n"
                + "aws_access_key_id = AKIDEXAMPLE\naws_secret_access_key = SECRETKEYEXAMPLE\n");
        return Map.of("AWS_CONFIG_FILE", dir.resolve("config").toString(),
                "AWS_SHARED_CREDENTIALS_FILE", dir.resolve("credentials").toString());
    }
}
