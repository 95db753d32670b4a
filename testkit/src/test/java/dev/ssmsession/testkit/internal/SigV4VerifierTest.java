package dev.ssmsession.testkit.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Golden vectors from AWS's published SigV4 test suite ({@code get-vanilla}, {@code post-vanilla},
 * {@code post-x-www-form-urlencoded}): signatures computed by AWS, not by this code or the SDK, with no
 * {@code x-amz-content-sha256} header, so the payload hash is the verifier's own SHA-256 of the body.
 */
class SigV4VerifierTest {
    private static final Instant WHEN = Instant.parse("2015-08-30T12:36:00Z");
    private static final String SCOPE = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, ";

    private static SigV4Verifier verifier(String token) {
        SigV4Verifier v = new SigV4Verifier("us-east-1");
        v.trust("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", token);
        return v;
    }

    private static Function<String, String> headers(Map<String, String> h) {
        Map<String, String> m = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        m.putAll(h);
        return m::get;
    }

    private static Map<String, String> vanilla(String signature) {
        return Map.of("Host", "example.amazonaws.com", "X-Amz-Date", "20150830T123600Z",
                "Authorization", SCOPE + "SignedHeaders=host;x-amz-date, Signature=" + signature);
    }

    @Test
    void awsTestSuiteVectorsVerify() {
        SigV4Verifier v = verifier(null);
        assertThat(v.verifyApiCall("GET", "/", headers(vanilla("5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31")),
                new byte[0], "service", WHEN)).isNull();
        assertThat(v.verifyApiCall("POST", "/", headers(vanilla("5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b")),
                new byte[0], "service", WHEN)).isNull();
        Map<String, String> form = Map.of("Host", "example.amazonaws.com", "X-Amz-Date", "20150830T123600Z",
                "Content-Type", "application/x-www-form-urlencoded",
                "Authorization", SCOPE + "SignedHeaders=content-type;host;x-amz-date, "
                        + "Signature=ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a");
        assertThat(v.verifyApiCall("POST", "/", headers(form), "Param1=value1".getBytes(StandardCharsets.UTF_8), "service", WHEN)).isNull();
    }

    @Test
    void oneChangedBodyByteMethodOrMinuteOffIsAMismatchOrExpired() {
        SigV4Verifier v = verifier(null);
        Map<String, String> post = vanilla("5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b");
        SigV4Verifier.Problem body = v.verifyApiCall("POST", "/", headers(post), new byte[] {' '}, "service", WHEN);
        assertThat(body.kind()).isEqualTo(SigV4Verifier.Kind.INVALID_SIGNATURE);
        assertThat(body.message()).isEqualTo(SigV4Verifier.MISMATCH);
        assertThat(v.verifyApiCall("PUT", "/", headers(post), new byte[0], "service", WHEN).kind())
                .isEqualTo(SigV4Verifier.Kind.INVALID_SIGNATURE);
        SigV4Verifier.Problem late = v.verifyApiCall("POST", "/", headers(post), new byte[0], "service", WHEN.plusSeconds(301));
        assertThat(late.message()).isEqualTo("Signature expired: 20150830T123600Z is now earlier than 20150830T123601Z (20150830T124101Z - 5 min.)");
        assertThat(v.verifyApiCall("POST", "/", headers(post), new byte[0], "service", WHEN.plusSeconds(300))).isNull();
        assertThat(v.verifyApiCall("POST", "/", headers(post), new byte[0], "ssm", WHEN).message())
                .isEqualTo("Credential should be scoped to correct service: 'ssm'. ");
    }

    @Test
    void aKeyIssuedWithATokenNeedsThatToken() {
        SigV4Verifier v = verifier("the-token");
        Map<String, String> post = vanilla("5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b");
        SigV4Verifier.Problem none = v.verifyApiCall("POST", "/", headers(post), new byte[0], "service", WHEN);
        assertThat(none.kind().errorCode()).isEqualTo("UnrecognizedClientException");
        assertThat(none.detail()).doesNotContain("the-token");
        Map<String, String> wrong = new java.util.HashMap<>(post);
        wrong.put("X-Amz-Security-Token", "another-token");
        SigV4Verifier.Problem p = v.verifyApiCall("POST", "/", headers(wrong), new byte[0], "service", WHEN);
        assertThat(p.kind().errorCode()).isEqualTo("UnrecognizedClientException");
        assertThat(p.detail()).doesNotContain("the-token").doesNotContain("another-token");
    }
}
