package dev.ssmsession.client.internal;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;

import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

@Tag("pure")
class UpgradeSignerTest {
    private static final URI URL = URI.create("wss://ssmmessages.eu-west-1.amazonaws.com/v1/data-channel/s-1?role=publish_subscribe");
    private final UpgradeSigner signer = new UpgradeSigner(Clock.fixed(Instant.parse("2026-11-28T12:00:00Z"), ZoneOffset.UTC));

    @Test
    void signsWithServiceSsmmessagesAndTheSessionRegion() {
        Map<String, String> h = signer.sign(URL, AwsBasicCredentials.create("AKIDEXAMPLE", "SECRET"), "eu-west-1");
        assertThat(h).containsEntry("X-Amz-Date", "20261128T120000Z").doesNotContainKey("Host")
                .doesNotContainKey("X-Amz-Security-Token");
        assertThat(h.get("Authorization"))
                .startsWith("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261128/eu-west-1/ssmmessages/aws4_request")
                .containsPattern("SignedHeaders=host;(x-amz-content-sha256;)?x-amz-date, Signature=[0-9a-f]{64}$")
                .doesNotContain("SECRET");
    }

    @Test
    void temporaryCredentialsAddTheSecurityToken() {
        Map<String, String> h = signer.sign(URL, AwsSessionCredentials.create("ASIA1", "S", "SESSIONTOKEN"), "eu-west-1");
        assertThat(h).containsEntry("X-Amz-Security-Token", "SESSIONTOKEN");
        assertThat(h.get("Authorization")).contains("x-amz-security-token");
    }

    @Test
    void signatureDependsOnTheSecretAndTheUrl() {
        String a = signer.sign(URL, AwsBasicCredentials.create("AKID", "S1"), "eu-west-1").get("Authorization");
        String b = signer.sign(URL, AwsBasicCredentials.create("AKID", "S2"), "eu-west-1").get("Authorization");
        String c = signer.sign(URI.create("wss://ssmmessages.eu-west-1.amazonaws.com/v1/data-channel/s-2?role=publish_subscribe"),
                AwsBasicCredentials.create("AKID", "S1"), "eu-west-1").get("Authorization");
        assertThat(a).isNotEqualTo(b).isNotEqualTo(c);
        assertThat(signer.sign(URL, AwsBasicCredentials.create("AKID", "S1"), "eu-west-1").get("Authorization")).isEqualTo(a);
    }

    @Test
    void recognisesPresignedUrls() {
        assertThat(UpgradeSigner.isPresigned(URL)).isFalse();
        assertThat(UpgradeSigner.isPresigned(URI.create(URL + "&X-Amz-Signature=abc"))).isTrue();
        assertThat(UpgradeSigner.isPresigned(URI.create("wss://h/x?x-amz-credential=a"))).isTrue();
        assertThat(UpgradeSigner.isPresigned(URI.create("wss://h/x"))).isFalse();
    }
}
