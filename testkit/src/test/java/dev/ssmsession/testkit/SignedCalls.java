package dev.ssmsession.testkit;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.AwsSessionCredentialsIdentity;

/**
 * Raw AWS JSON 1.1 calls to the testkit, signed by the AWS SDK's own SigV4 signer (so that a signing
 * bug of ours cannot hide a verifier bug) and sent with the JDK client, so a test can tamper with
 * what goes on the wire after signing.
 */
final class SignedCalls {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private SignedCalls() {
    }

    static AwsCredentialsIdentity identity(TestkitCredentials c) {
        return AwsSessionCredentialsIdentity.create(c.accessKeyId(), c.secretAccessKey(), c.sessionToken());
    }

    /** The headers the SDK would send for {@code POST /} with this target and body (Host left out: the JDK sets it). */
    static Map<String, String> sign(LocalSessionManager local, String target, String body, AwsCredentialsIdentity identity,
                                    String service, Clock clock) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        SdkHttpRequest req = SdkHttpRequest.builder().method(SdkHttpMethod.POST).uri(local.ssmEndpoint().resolve("/"))
                .putHeader("X-Amz-Target", target)
                .putHeader("Content-Type", "application/x-amz-json-1.1")
                .build();
        var signed = AwsV4HttpSigner.create().sign(r -> r.request(req)
                .payload(() -> new ByteArrayInputStream(bytes))
                .identity(identity)
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, service)
                .putProperty(AwsV4HttpSigner.REGION_NAME, local.region())
                .putProperty(HttpSigner.SIGNING_CLOCK, clock));
        Map<String, String> headers = new LinkedHashMap<>();
        signed.request().headers().forEach((k, v) -> {
            if (!k.equalsIgnoreCase("Host")) {
                headers.put(k, v.get(0));
            }
        });
        return headers;
    }

    static Map<String, String> sign(LocalSessionManager local, String target, String body) {
        return sign(local, target, body, identity(local.credentials()), "ssm", Clock.systemUTC());
    }

    static HttpResponse<String> post(URI endpoint, Map<String, String> headers, String body) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(endpoint.resolve("/")).POST(HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(b::header);
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A correctly signed call with the testkit's own credentials. */
    static HttpResponse<String> call(LocalSessionManager local, String target, String body) throws IOException, InterruptedException {
        return post(local.ssmEndpoint(), sign(local, target, body), body);
    }
}
