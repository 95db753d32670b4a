package dev.ssmsession.testkit.internal;

import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Checks SigV4 signatures against the credentials the testkit handed out: the JSON API calls
 * ({@link #verifyApiCall}, AWS's rules and error codes) and the WebSocket upgrade {@code GET} (SPEC §1.2,
 * {@link #verifyUpgrade}). Problems name the offending value, never a secret or a token.
 */
public final class SigV4Verifier {
    private static final Pattern AUTH = Pattern.compile(
            "AWS4-HMAC-SHA256 Credential=([^/,\\s]+)/(\\d{8})/([^/]+)/([^/]+)/aws4_request,\\s*SignedHeaders=([^,\\s]+),\\s*Signature=([0-9a-f]{64})");
    private static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    private static final String EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    private static final String UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD";
    /** AWS APIs refuse a request whose X-Amz-Date is more than 5 minutes off. */
    public static final Duration API_SKEW = Duration.ofMinutes(5);
    private static final Duration UPGRADE_SKEW = Duration.ofMinutes(15);
    /** AWS's own text for a signature mismatch, which SDKs and users search for. */
    static final String MISMATCH = "The request signature we calculated does not match the signature you provided. "
            + "Check your AWS Secret Access Key and signing method. Consult the service documentation for details.";
    static final String BAD_TOKEN = "The security token included in the request is invalid.";

    /** What AWS answers to a request that fails authentication, as error code and message. */
    public enum Kind {
        MISSING("MissingAuthenticationTokenException"),
        INCOMPLETE("IncompleteSignatureException"),
        UNRECOGNIZED_CLIENT("UnrecognizedClientException"),
        INVALID_SIGNATURE("InvalidSignatureException");

        private final String errorCode;

        Kind(String errorCode) {
            this.errorCode = errorCode;
        }

        public String errorCode() {
            return errorCode;
        }
    }

    /**
     * @param message what the service says (AWS's wording)
     * @param detail  what exactly is wrong, for logs and the upgrade record; no secrets
     */
    public record Problem(Kind kind, String message, String detail) {
    }

    private record Key(String secretAccessKey, String sessionToken) {
    }

    private final String region;
    private final Map<String, Key> keys = new ConcurrentHashMap<>();

    public SigV4Verifier(String region) {
        this.region = region;
    }

    /** Accepts signatures made with these credentials from now on ({@code sessionToken} null for long-term keys). */
    public void trust(String accessKeyId, String secretAccessKey, String sessionToken) {
        keys.put(accessKeyId, new Key(secretAccessKey, sessionToken));
    }

    /**
     * Checks an SSM or KMS JSON API call: a known access key, the session token issued with it (when it
     * has one), scope {@code <day>/<region>/<service>/aws4_request}, X-Amz-Date within 5 minutes, host
     * signed, and the signature over the canonical request with the SHA-256 of {@code body} (or
     * {@code x-amz-content-sha256}, which must then match the body unless it is {@code UNSIGNED-PAYLOAD}).
     *
     * @param header header lookup, case-insensitive, repeated values joined by commas, null when absent
     * @return null when authentic
     */
    public Problem verifyApiCall(String method, String resource, Function<String, String> header, byte[] body,
                                 String service, Instant now) {
        String actual = hex(sha256(body));
        String declared = header.apply("x-amz-content-sha256");
        if (declared != null && !declared.equals(UNSIGNED_PAYLOAD) && !declared.equalsIgnoreCase(actual)) {
            return new Problem(Kind.INVALID_SIGNATURE,
                    "The provided 'x-amz-content-sha256' header does not match what was computed.",
                    "x-amz-content-sha256 " + declared + " is not the SHA-256 of the body, " + actual);
        }
        return check(method, resource, header, service, API_SKEW, List.of(declared != null ? declared : actual), true, now);
    }

    /**
     * Checks a WebSocket upgrade {@code GET}: service {@code ssmmessages}, the testkit's region, a date within 15
     * minutes; the payload hash may be the empty-body SHA-256, {@code UNSIGNED-PAYLOAD} or whatever
     * {@code x-amz-content-sha256} says. The session token is not compared: the upgrade is recorded, and
     * refused only when the testkit requires SigV4 there.
     *
     * @param resource the request target, path and query as sent
     * @param header   header lookup, case-insensitive, null when absent
     * @return null when valid, else what is wrong
     */
    public String verifyUpgrade(String resource, Function<String, String> header, Instant now) {
        String declared = header.apply("x-amz-content-sha256");
        List<String> hashes = declared != null ? List.of(declared) : List.of(EMPTY_SHA256, UNSIGNED_PAYLOAD);
        Problem p = check("GET", resource, header, "ssmmessages", UPGRADE_SKEW, hashes, false, now);
        return p == null ? null : p.detail();
    }

    private Problem check(String method, String resource, Function<String, String> header, String expectedService,
                          Duration maxSkew, List<String> payloadHashes, boolean checkToken, Instant now) {
        String auth = header.apply("Authorization");
        if (auth == null) {
            return new Problem(Kind.MISSING, "Missing Authentication Token", "no Authorization header");
        }
        Matcher m = AUTH.matcher(auth.trim());
        if (!m.matches()) {
            String detail = "Authorization is not AWS4-HMAC-SHA256 with Credential, SignedHeaders and Signature";
            return new Problem(Kind.INCOMPLETE, "Authorization header requires 'Credential', 'Signature' and "
                    + "'SignedHeaders' parameters (AWS4-HMAC-SHA256).", detail);
        }
        String akid = m.group(1);
        String day = m.group(2);
        String credRegion = m.group(3);
        String service = m.group(4);
        List<String> signed = List.of(m.group(5).split(";"));
        String signature = m.group(6);
        Key key = keys.get(akid);
        if (key == null) {
            return new Problem(Kind.UNRECOGNIZED_CLIENT, BAD_TOKEN, "unknown access key " + akid);
        }
        if (checkToken) {
            String token = header.apply("X-Amz-Security-Token");
            if (key.sessionToken() == null ? token != null : token == null || !equal(token, key.sessionToken())) {
                return new Problem(Kind.UNRECOGNIZED_CLIENT, BAD_TOKEN, token == null
                        ? "no X-Amz-Security-Token for the temporary access key " + akid
                        : "X-Amz-Security-Token is not the one issued with access key " + akid);
            }
        }
        if (!expectedService.equals(service)) {
            return new Problem(Kind.INVALID_SIGNATURE, "Credential should be scoped to correct service: '" + expectedService + "'. ",
                    "signed for service " + service + ", not " + expectedService);
        }
        if (!region.equals(credRegion)) {
            return new Problem(Kind.INVALID_SIGNATURE, "Credential should be scoped to a valid region. ",
                    "signed for region " + credRegion + ", not " + region);
        }
        String amzDate = header.apply("X-Amz-Date");
        if (amzDate == null) {
            return new Problem(Kind.INCOMPLETE, "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.",
                    "no X-Amz-Date header");
        }
        Instant when;
        try {
            when = Instant.from(AMZ_DATE.parse(amzDate));
        } catch (DateTimeParseException e) {
            return new Problem(Kind.INCOMPLETE, "X-Amz-Date " + amzDate + " is not an ISO-8601 basic date-time",
                    "X-Amz-Date " + amzDate + " is not yyyyMMddTHHmmssZ");
        }
        if (!amzDate.startsWith(day)) {
            return new Problem(Kind.INVALID_SIGNATURE, "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '"
                    + day + "' != '" + amzDate.substring(0, 8) + "', from '" + amzDate + "'.",
                    "credential scope date " + day + " does not match X-Amz-Date " + amzDate);
        }
        if (Duration.between(when, now).abs().compareTo(maxSkew) > 0) {
            String nowText = AMZ_DATE.format(now);
            long minutes = maxSkew.toMinutes();
            String message = when.isBefore(now)
                    ? "Signature expired: " + amzDate + " is now earlier than " + AMZ_DATE.format(now.minus(maxSkew))
                            + " (" + nowText + " - " + minutes + " min.)"
                    : "Signature not yet current: " + amzDate + " is still later than " + AMZ_DATE.format(now.plus(maxSkew))
                            + " (" + nowText + " + " + minutes + " min.)";
            return new Problem(Kind.INVALID_SIGNATURE, message, "X-Amz-Date " + amzDate + " is more than " + minutes + " minutes from now");
        }
        if (!signed.contains("host")) {
            return new Problem(Kind.INVALID_SIGNATURE, "'Host' must be a 'SignedHeader' in the AWS Authorization.",
                    "SignedHeaders does not include host");
        }
        StringBuilder canonicalHeaders = new StringBuilder();
        for (String h : signed) {
            String v = header.apply(h);
            if (v == null) {
                return new Problem(Kind.INVALID_SIGNATURE, MISMATCH, "signed header " + h + " is missing");
            }
            canonicalHeaders.append(h).append(':').append(v.trim().replaceAll("\\s+", " ")).append('\n');
        }
        URI uri = URI.create(resource);
        String canonicalUri = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        String canonicalQuery = canonicalQuery(uri.getRawQuery());
        String scope = day + "/" + region + "/" + service + "/aws4_request";
        byte[] signingKey = hmac(("AWS4" + key.secretAccessKey()).getBytes(StandardCharsets.UTF_8), day);
        signingKey = hmac(signingKey, region);
        signingKey = hmac(signingKey, service);
        signingKey = hmac(signingKey, "aws4_request");
        for (String payloadHash : payloadHashes) {
            String canonicalRequest = method + "\n" + canonicalUri + "\n" + canonicalQuery + "\n" + canonicalHeaders + "\n"
                    + String.join(";", signed) + "\n" + payloadHash;
            String stringToSign = "AWS4-HMAC-SHA256\n" + amzDate + "\n" + scope + "\n" + hex(sha256(canonicalRequest));
            if (equal(hex(hmac(signingKey, stringToSign)), signature)) {
                return null;
            }
        }
        return new Problem(Kind.INVALID_SIGNATURE, MISMATCH, "signature does not match the canonical request");
    }

    private static boolean equal(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }

    private static String canonicalQuery(String raw) {
        if (raw == null || raw.isEmpty()) {
            return "";
        }
        List<String[]> pairs = new ArrayList<>();
        for (String p : raw.split("&")) {
            int eq = p.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? p : p.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(p.substring(eq + 1), StandardCharsets.UTF_8);
            pairs.add(new String[] {encode(k), encode(v)});
        }
        pairs.sort((a, b) -> a[0].equals(b[0]) ? a[1].compareTo(b[1]) : a[0].compareTo(b[0]));
        StringBuilder out = new StringBuilder();
        for (String[] p : pairs) {
            if (out.length() > 0) {
                out.append('&');
            }
            out.append(p[0]).append('=').append(p[1]);
        }
        return out.toString();
    }

    /** RFC 3986 unreserved characters stay, everything else is percent-encoded (SigV4 rule). */
    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20").replace("*", "%2A").replace("%7E", "~");
    }

    private static byte[] sha256(String s) {
        return sha256(s.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] sha256(byte[] b) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(b);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }
}
