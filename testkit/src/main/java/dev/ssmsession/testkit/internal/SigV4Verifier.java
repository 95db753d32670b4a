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
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Checks the SigV4 signature of a WebSocket upgrade {@code GET} (SPEC §1.2): service
 * {@code ssmmessages}, the testkit's region and credentials, a date within 15 minutes. The payload
 * hash may be the empty-body SHA-256, {@code UNSIGNED-PAYLOAD} or whatever
 * {@code x-amz-content-sha256} says. Returns null when valid, else what is wrong (never a secret).
 */
public final class SigV4Verifier {
    private static final Pattern AUTH = Pattern.compile(
            "AWS4-HMAC-SHA256 Credential=([^/,\\s]+)/(\\d{8})/([^/]+)/([^/]+)/aws4_request,\\s*SignedHeaders=([^,\\s]+),\\s*Signature=([0-9a-f]{64})");
    private static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    private static final String EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    private static final Duration MAX_SKEW = Duration.ofMinutes(15);

    private final String region;
    private final String accessKeyId;
    private final String secretAccessKey;

    public SigV4Verifier(String region, String accessKeyId, String secretAccessKey) {
        this.region = region;
        this.accessKeyId = accessKeyId;
        this.secretAccessKey = secretAccessKey;
    }

    /**
     * @param resource the request target, path and query as sent
     * @param header   header lookup, case-insensitive, null when absent
     */
    public String verify(String resource, Function<String, String> header, Instant now) {
        String auth = header.apply("Authorization");
        if (auth == null) {
            return "no Authorization header";
        }
        Matcher m = AUTH.matcher(auth.trim());
        if (!m.matches()) {
            return "Authorization is not AWS4-HMAC-SHA256 with Credential, SignedHeaders and Signature";
        }
        String akid = m.group(1);
        String day = m.group(2);
        String credRegion = m.group(3);
        String service = m.group(4);
        List<String> signed = List.of(m.group(5).split(";"));
        String signature = m.group(6);
        if (!akid.equals(accessKeyId)) {
            return "unknown access key " + akid;
        }
        if (!"ssmmessages".equals(service)) {
            return "signed for service " + service + ", not ssmmessages";
        }
        if (!region.equals(credRegion)) {
            return "signed for region " + credRegion + ", not " + region;
        }
        String amzDate = header.apply("X-Amz-Date");
        if (amzDate == null) {
            return "no X-Amz-Date header";
        }
        Instant when;
        try {
            when = Instant.from(AMZ_DATE.parse(amzDate));
        } catch (DateTimeParseException e) {
            return "X-Amz-Date " + amzDate + " is not yyyyMMddTHHmmssZ";
        }
        if (!amzDate.startsWith(day)) {
            return "credential scope date " + day + " does not match X-Amz-Date " + amzDate;
        }
        if (Duration.between(when, now).abs().compareTo(MAX_SKEW) > 0) {
            return "X-Amz-Date " + amzDate + " is more than 15 minutes from now";
        }
        if (!signed.contains("host")) {
            return "SignedHeaders does not include host";
        }
        StringBuilder canonicalHeaders = new StringBuilder();
        for (String h : signed) {
            String v = header.apply(h);
            if (v == null) {
                return "signed header " + h + " is missing";
            }
            canonicalHeaders.append(h).append(':').append(v.trim().replaceAll("\\s+", " ")).append('\n');
        }
        URI uri = URI.create(resource);
        String canonicalUri = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        String canonicalQuery = canonicalQuery(uri.getRawQuery());
        List<String> payloadHashes = new ArrayList<>();
        String declared = header.apply("x-amz-content-sha256");
        if (declared != null) {
            payloadHashes.add(declared);
        } else {
            payloadHashes.add(EMPTY_SHA256);
            payloadHashes.add("UNSIGNED-PAYLOAD");
        }
        for (String payloadHash : payloadHashes) {
            String canonicalRequest = "GET\n" + canonicalUri + "\n" + canonicalQuery + "\n" + canonicalHeaders + "\n"
                    + String.join(";", signed) + "\n" + payloadHash;
            String stringToSign = "AWS4-HMAC-SHA256\n" + amzDate + "\n" + day + "/" + region + "/ssmmessages/aws4_request\n"
                    + hex(sha256(canonicalRequest));
            byte[] key = hmac(("AWS4" + secretAccessKey).getBytes(StandardCharsets.UTF_8), day);
            key = hmac(key, region);
            key = hmac(key, "ssmmessages");
            key = hmac(key, "aws4_request");
            String expected = hex(hmac(key, stringToSign));
            if (MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII), signature.getBytes(StandardCharsets.US_ASCII))) {
                return null;
            }
        }
        return "signature does not match the canonical request";
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
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
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
