package dev.ssmsession.client.internal;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * An HTTPS proxy (from {@code HTTPS_PROXY}/{@code https_proxy} or the builder) and the hosts that
 * bypass it ({@code NO_PROXY}, curl semantics: comma-separated host names or domain suffixes,
 * {@code *} for everything). {@link #toString()} hides the proxy password.
 */
public final class ProxySettings {
    private final URI uri;
    private final List<String> noProxy;

    private ProxySettings(URI uri, List<String> noProxy) {
        this.uri = uri;
        this.noProxy = List.copyOf(noProxy);
    }

    /**
     * @param proxy   {@code http://[user:password@]host[:port]}; a bare {@code host:port} is taken as http
     * @param noProxy the {@code NO_PROXY} value, or null
     */
    public static ProxySettings of(String proxy, String noProxy) {
        Objects.requireNonNull(proxy, "proxy");
        String text = proxy.trim();
        if (!text.contains("://")) {
            text = "http://" + text;
        }
        URI uri;
        try {
            uri = URI.create(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("proxy is not a valid URL: " + redact(text));
        }
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("proxy URL has no host: " + redact(text));
        }
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http")) {
            // A TLS connection to the proxy itself (https://) is not supported by the SDK's URL client either.
            throw new IllegalArgumentException("proxy URL scheme must be http, got " + scheme + " in " + redact(text));
        }
        return new ProxySettings(uri, parseNoProxy(noProxy));
    }

    private static List<String> parseNoProxy(String value) {
        List<String> out = new ArrayList<>();
        if (value == null) {
            return out;
        }
        for (String part : value.split(",")) {
            String p = part.trim().toLowerCase(Locale.ROOT);
            if (p.isEmpty()) {
                continue;
            }
            int colon = p.lastIndexOf(':');
            if (colon > 0 && p.indexOf(':') == colon) {
                p = p.substring(0, colon);  // host:port → host; IPv6 literals keep their colons
            }
            if (p.startsWith("*.")) {
                p = p.substring(1);
            }
            out.add(p);
        }
        return out;
    }

    public String host() {
        return uri.getHost();
    }

    public int port() {
        return uri.getPort() == -1 ? 80 : uri.getPort();
    }

    /** {@code user:password} from the proxy URL, if any (used for {@code Proxy-Authorization: Basic}). */
    public Optional<String> userInfo() {
        return Optional.ofNullable(uri.getRawUserInfo()).map(ProxySettings::decode);
    }

    public URI endpoint() {
        return URI.create("http://" + uri.getHost() + ":" + port());
    }

    /** Whether connections to {@code host} go through the proxy. */
    public boolean appliesTo(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        for (String p : noProxy) {
            if (p.equals("*")) {
                return false;
            }
            if (p.startsWith(".")) {
                if (h.endsWith(p) || h.equals(p.substring(1))) {
                    return false;
                }
            } else if (h.equals(p) || h.endsWith("." + p)) {
                return false;
            }
        }
        return true;
    }

    /** The bypass list in the {@code http.nonProxyHosts} pattern form the SDK's HTTP client expects. */
    public Set<String> nonProxyHostPatterns() {
        Set<String> out = new LinkedHashSet<>();
        for (String p : noProxy) {
            if (p.equals("*")) {
                out.add("*");
            } else if (p.startsWith(".")) {
                out.add("*" + p);
                out.add(p.substring(1));
            } else {
                out.add(p);
                out.add("*." + p);
            }
        }
        return out;
    }

    private static String decode(String s) {
        return java.net.URLDecoder.decode(s.replace("+", "%2B"), java.nio.charset.StandardCharsets.UTF_8);
    }

    private static String redact(String url) {
        return url.replaceAll("//[^@/]*@", "//<credentials>@");
    }

    @Override
    public String toString() {
        return "ProxySettings[" + endpoint() + (uri.getRawUserInfo() != null ? " (with credentials)" : "") + ", noProxy=" + noProxy + "]";
    }
}
