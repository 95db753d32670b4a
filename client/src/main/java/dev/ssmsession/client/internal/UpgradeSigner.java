package dev.ssmsession.client.internal;

import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

import java.net.URI;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * SigV4 headers for the WebSocket upgrade {@code GET <StreamUrl>} (SPEC §1.2, plugin ≥ 1.2.764.0):
 * service {@code ssmmessages}, the session's region; {@code Authorization}, {@code X-Amz-Date}
 * and, for temporary credentials, {@code X-Amz-Security-Token}. A presigned StreamUrl is left
 * alone. Signed afresh on every (re)connect so the date and the credentials are current.
 */
public final class UpgradeSigner {
    static final String SERVICE = "ssmmessages";
    private static final Set<String> PRESIGN_KEYS = Set.of("x-amz-algorithm", "x-amz-credential", "x-amz-date",
            "x-amz-expires", "x-amz-signedheaders", "x-amz-signature", "x-amz-security-token");

    private final AwsV4HttpSigner signer = AwsV4HttpSigner.create();
    private final Clock clock;

    public UpgradeSigner(Clock clock) {
        this.clock = clock;
    }

    /** Whether the query of {@code url} already carries SigV4 presigning parameters. */
    public static boolean isPresigned(URI url) {
        String q = url.getRawQuery();
        if (q == null) {
            return false;
        }
        for (String part : q.split("&")) {
            int eq = part.indexOf('=');
            String key = (eq < 0 ? part : part.substring(0, eq)).toLowerCase(Locale.ROOT);
            if (PRESIGN_KEYS.contains(key)) {
                return true;
            }
        }
        return false;
    }

    /**
     * @return the headers to add to the upgrade request (never {@code Host}: the WebSocket client
     *         writes it, from the same URL, so it matches what was signed)
     */
    public Map<String, String> sign(URI streamUrl, AwsCredentialsIdentity credentials, String region) {
        String scheme = streamUrl.getScheme().equalsIgnoreCase("ws") ? "http" : "https";
        URI httpUri = URI.create(scheme + "://" + streamUrl.getRawAuthority() + streamUrl.getRawPath()
                + (streamUrl.getRawQuery() == null ? "" : "?" + streamUrl.getRawQuery()));
        SdkHttpRequest request = SdkHttpRequest.builder().method(SdkHttpMethod.GET).uri(httpUri).build();
        SignedRequest signed = signer.sign(r -> r.identity(credentials)
                .request(request)
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, SERVICE)
                .putProperty(AwsV4HttpSigner.REGION_NAME, region)
                .putProperty(AwsV4HttpSigner.SIGNING_CLOCK, clock));
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> h : signed.request().headers().entrySet()) {
            if (!h.getKey().equalsIgnoreCase("Host") && !h.getValue().isEmpty()) {
                out.put(h.getKey(), String.join(",", h.getValue()));
            }
        }
        return out;
    }
}
