package dev.ssmsession.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ssmsession.protocol.payload.Payloads;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkServiceException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.identity.spi.AwsSessionCredentialsIdentity;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.KmsException;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.SsmException;

/**
 * Every SSM and KMS API call is SigV4-verified against the credentials the testkit hands out, and refused
 * with AWS's own error codes, so that a client signing bug fails tests instead of passing them.
 */
class ApiAuthenticationTest {
    private static final String DESCRIBE = "AmazonSSM.DescribeInstanceInformation";
    private static final String MISMATCH = "The request signature we calculated does not match the signature you provided.";

    static LocalSessionManager local;

    @BeforeAll
    static void start() {
        local = LocalSessionManager.startDefault();
    }

    @AfterAll
    static void stop() {
        local.close();
    }

    static SsmClient ssm(AwsCredentials credentials) {
        return SsmClient.builder().endpointOverride(local.ssmEndpoint()).region(Region.of(local.region()))
                .credentialsProvider(StaticCredentialsProvider.create(credentials))
                .httpClient(UrlConnectionHttpClient.create()).build();
    }

    static SsmException ssmFailure(AwsCredentials credentials) {
        try (SsmClient ssm = ssm(credentials)) {
            return (SsmException) org.assertj.core.api.Assertions.catchThrowable(() -> ssm.describeInstanceInformation());
        }
    }

    private static AwsSessionCredentials with(String accessKeyId, String secret, String token) {
        return AwsSessionCredentials.create(accessKeyId, secret, token);
    }

    @Test
    void theSdkSigningWithTheTestkitCredentialsIsServed() {
        TestkitCredentials c = local.credentials();
        try (SsmClient ssm = ssm(with(c.accessKeyId(), c.secretAccessKey(), c.sessionToken()))) {
            assertThat(ssm.describeInstanceInformation().instanceInformationList()).hasSize(1);
        }
        try (KmsClient kms = KmsClient.builder().endpointOverride(local.kmsEndpoint()).region(Region.of(local.region()))
                .credentialsProvider(StaticCredentialsProvider.create(with(c.accessKeyId(), c.secretAccessKey(), c.sessionToken())))
                .httpClient(UrlConnectionHttpClient.create()).build()) {
            assertThat(kms.generateDataKey(b -> b.keyId("alias/testkit").numberOfBytes(32)).plaintext().asByteArray()).hasSize(32);
        }
    }

    @Test
    void aWrongSecretIsInvalidSignatureException() {
        TestkitCredentials c = local.credentials();
        SsmException e = ssmFailure(with(c.accessKeyId(), "not/the/testkit/secret/at/all/000000000", c.sessionToken()));
        assertThat(e.statusCode()).isEqualTo(400);
        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidSignatureException");
        assertThat(e.awsErrorDetails().errorMessage()).startsWith(MISMATCH);
    }

    @Test
    void anUnknownAccessKeyIsUnrecognizedClientException() {
        TestkitCredentials c = local.credentials();
        SsmException e = ssmFailure(with("AKIAUNKNOWNKEY000001", c.secretAccessKey(), c.sessionToken()));
        assertThat(e.statusCode()).isEqualTo(400);
        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("UnrecognizedClientException");
        assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("The security token included in the request is invalid.");
    }

    @Test
    void aWrongOrMissingSessionTokenIsUnrecognizedClientException() {
        TestkitCredentials c = local.credentials();
        assertThat(ssmFailure(with(c.accessKeyId(), c.secretAccessKey(), "some-other-token")).awsErrorDetails().errorCode())
                .isEqualTo("UnrecognizedClientException");
        SsmException e;
        try (SsmClient ssm = ssm(software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create(c.accessKeyId(), c.secretAccessKey()))) {
            e = (SsmException) org.assertj.core.api.Assertions.catchThrowable(() -> ssm.describeInstanceInformation());
        }
        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("UnrecognizedClientException");
    }

    @Test
    void theErrorBodyIsAwsOwnShape() throws Exception {
        TestkitCredentials c = local.credentials();
        Map<String, String> headers = SignedCalls.sign(local, DESCRIBE, "{}",
                AwsSessionCredentialsIdentity.create("AKIAUNKNOWNKEY000001", c.secretAccessKey(), c.sessionToken()), "ssm", Clock.systemUTC());
        HttpResponse<String> r = SignedCalls.post(local.ssmEndpoint(), headers, "{}");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(Payloads.mapper().readTree(r.body())).isEqualTo(Payloads.mapper().readTree(
                "{\"__type\":\"UnrecognizedClientException\",\"message\":\"The security token included in the request is invalid.\"}"));
    }

    @Test
    void aTamperedBodyUnderAReusedSignatureIsRefused() throws Exception {
        String body = "{\"Target\":\"" + local.defaultTarget() + "\"}";
        Map<String, String> headers = SignedCalls.sign(local, "AmazonSSM.StartSession", body);
        String tampered = "{\"Target\":\"i-0fffffffffffffff0\"}";
        HttpResponse<String> r = SignedCalls.post(local.ssmEndpoint(), headers, tampered);
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(errorCode(r)).isEqualTo("InvalidSignatureException");
        assertThat(SignedCalls.post(local.ssmEndpoint(), headers, body).statusCode()).isEqualTo(200);
    }

    @Test
    void aDeclaredPayloadHashMustBeTheBodys() throws Exception {
        String body = "{}";
        Map<String, String> headers = SignedCalls.sign(local, DESCRIBE, body);
        // e3b0... is the SHA-256 of the empty body, not of "{}": declaring it must not let any body through.
        headers.put("x-amz-content-sha256", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        HttpResponse<String> r = SignedCalls.post(local.ssmEndpoint(), headers, body);
        assertThat(errorCode(r)).isEqualTo("InvalidSignatureException");
    }

    @Test
    void aTamperedSignedHeaderIsRefused() throws Exception {
        Map<String, String> headers = SignedCalls.sign(local, DESCRIBE, "{}");
        headers.put("X-Amz-Target", "AmazonSSM.TerminateSession");
        assertThat(errorCode(SignedCalls.post(local.ssmEndpoint(), headers, "{}"))).isEqualTo("InvalidSignatureException");
    }

    @Test
    void kmsCallsMustBeSignedForKmsAndSsmCallsForSsm() throws Exception {
        TestkitCredentials c = local.credentials();
        String body = "{\"KeyId\":\"alias/testkit\",\"NumberOfBytes\":32}";
        Map<String, String> forSsm = SignedCalls.sign(local, "TrentService.GenerateDataKey", body, SignedCalls.identity(c), "ssm", Clock.systemUTC());
        HttpResponse<String> r = SignedCalls.post(local.kmsEndpoint(), forSsm, body);
        assertThat(errorCode(r)).isEqualTo("InvalidSignatureException");
        assertThat(message(r)).contains("'kms'");
        Map<String, String> forKms = SignedCalls.sign(local, "TrentService.GenerateDataKey", body, SignedCalls.identity(c), "kms", Clock.systemUTC());
        assertThat(SignedCalls.post(local.kmsEndpoint(), forKms, body).statusCode()).isEqualTo(200);
        Map<String, String> describeForKms = SignedCalls.sign(local, DESCRIBE, "{}", SignedCalls.identity(c), "kms", Clock.systemUTC());
        assertThat(errorCode(SignedCalls.post(local.ssmEndpoint(), describeForKms, "{}"))).isEqualTo("InvalidSignatureException");
    }

    @Test
    void aClockMoreThanFiveMinutesOffIsRefusedAndFourMinutesIsNot() throws Exception {
        TestkitCredentials c = local.credentials();
        Instant now = Instant.now();
        for (Duration skew : new Duration[] {Duration.ofMinutes(-6), Duration.ofMinutes(6)}) {
            Map<String, String> h = SignedCalls.sign(local, DESCRIBE, "{}", SignedCalls.identity(c), "ssm",
                    Clock.fixed(now.plus(skew), ZoneOffset.UTC));
            HttpResponse<String> r = SignedCalls.post(local.ssmEndpoint(), h, "{}");
            assertThat(errorCode(r)).as("skew %s", skew).isEqualTo("InvalidSignatureException");
            assertThat(message(r)).as("skew %s", skew).startsWith(skew.isNegative() ? "Signature expired" : "Signature not yet current");
        }
        Map<String, String> h = SignedCalls.sign(local, DESCRIBE, "{}", SignedCalls.identity(c), "ssm",
                Clock.fixed(now.minus(Duration.ofMinutes(4)), ZoneOffset.UTC));
        assertThat(SignedCalls.post(local.ssmEndpoint(), h, "{}").statusCode()).isEqualTo(200);
    }

    @Test
    void anUnsignedCallIsMissingAuthenticationToken() throws Exception {
        HttpResponse<String> r = SignedCalls.post(local.ssmEndpoint(), Map.of("X-Amz-Target", DESCRIBE), "{}");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(errorCode(r)).isEqualTo("MissingAuthenticationTokenException");
        Map<String, String> garbled = new HashMap<>(SignedCalls.sign(local, DESCRIBE, "{}"));
        garbled.put("Authorization", "AWS4-HMAC-SHA256 Credential=nonsense");
        assertThat(errorCode(SignedCalls.post(local.ssmEndpoint(), garbled, "{}"))).isEqualTo("IncompleteSignatureException");
    }

    @Test
    void withAcceptUnsignedApiCallsUnsignedCallsAreServedButBadSignaturesStillRefused() throws Exception {
        try (LocalSessionManager lax = LocalSessionManager.builder().acceptUnsignedApiCalls(true).build().start()) {
            HttpResponse<String> r = SignedCalls.post(lax.ssmEndpoint(), Map.of("X-Amz-Target", DESCRIBE), "{}");
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).contains(LocalSessionManager.DEFAULT_TARGET);
            TestkitCredentials c = lax.credentials();
            Map<String, String> wrongSecret = SignedCalls.sign(lax, DESCRIBE, "{}",
                    AwsSessionCredentialsIdentity.create(c.accessKeyId(), "wrong", c.sessionToken()), "ssm", Clock.systemUTC());
            assertThat(errorCode(SignedCalls.post(lax.ssmEndpoint(), wrongSecret, "{}"))).isEqualTo("InvalidSignatureException");
        }
    }

    @Test
    void issuedCredentialsAreAcceptedLikeAnStsRefresh() {
        TestkitCredentials fresh = local.issueCredentials();
        assertThat(fresh.accessKeyId()).startsWith("ASIA").hasSize(20).isNotEqualTo(local.credentials().accessKeyId());
        assertThat(fresh.toString()).doesNotContain(fresh.secretAccessKey()).doesNotContain(fresh.sessionToken());
        try (SsmClient ssm = ssm(with(fresh.accessKeyId(), fresh.secretAccessKey(), fresh.sessionToken()))) {
            assertThat(ssm.describeInstanceInformation().instanceInformationList()).hasSize(1);
        }
        // A token is bound to its key: the fresh token with the default key is not valid.
        TestkitCredentials c = local.credentials();
        assertThat(ssmFailure(with(c.accessKeyId(), c.secretAccessKey(), fresh.sessionToken())).awsErrorDetails().errorCode())
                .isEqualTo("UnrecognizedClientException");
    }

    @Test
    void kmsErrorsAreTypedForTheKmsClientToo() {
        TestkitCredentials c = local.credentials();
        try (KmsClient kms = KmsClient.builder().endpointOverride(local.kmsEndpoint()).region(Region.of(local.region()))
                .credentialsProvider(StaticCredentialsProvider.create(with(c.accessKeyId(), "wrong-secret", c.sessionToken())))
                .httpClient(UrlConnectionHttpClient.create()).build()) {
            assertThatThrownBy(() -> kms.generateDataKey(b -> b.keyId("alias/testkit").numberOfBytes(32)))
                    .isInstanceOf(KmsException.class)
                    .satisfies(e -> assertThat(((SdkServiceException) e).statusCode()).isEqualTo(400))
                    .satisfies(e -> assertThat(((KmsException) e).awsErrorDetails().errorCode()).isEqualTo("InvalidSignatureException"));
        }
    }

    private static String errorCode(HttpResponse<String> r) throws Exception {
        JsonNode n = Payloads.mapper().readTree(r.body());
        return n.path("__type").asText();
    }

    private static String message(HttpResponse<String> r) throws Exception {
        return Payloads.mapper().readTree(r.body()).path("message").asText();
    }
}
