package dev.ssmsession.client.internal;

import java.net.URI;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Which proxy, if any, one connection takes: the single decision used by the SDK calls (per
 * request, see {@link ProxyRoutingHttpClient}) and by the data-channel WebSocket (HTTP CONNECT,
 * see {@link ProxyTunnel}). As the AWS CLI and the Go plugin: {@code https://} and {@code wss://}
 * use {@code HTTPS_PROXY}, {@code http://} and {@code ws://} use {@code HTTP_PROXY} (upper case
 * first, then lower case, as Go does), and {@link NoProxy} decides the exceptions. A proxy set on
 * the builder is used for both schemes. {@link #toString()} shows no credentials.
 */
public final class ProxyPolicy {
    public static final ProxyPolicy DIRECT = new ProxyPolicy(null, null, NoProxy.NONE);

    private final ProxySettings https;
    private final ProxySettings http;
    private final NoProxy noProxy;

    private ProxyPolicy(ProxySettings https, ProxySettings http, NoProxy noProxy) {
        this.https = https;
        this.http = http;
        this.noProxy = noProxy;
    }

    /**
     * @param explicit        the builder's proxy (both schemes), or null for the environment
     * @param explicitNoProxy the builder's bypass list, or null for {@code NO_PROXY}/{@code no_proxy}
     * @throws IllegalArgumentException for a proxy URL that cannot be used, naming its variable (not its password)
     */
    static ProxyPolicy resolve(URI explicit, String explicitNoProxy, Map<String, String> env) {
        ProxySettings forHttps;
        ProxySettings forHttp;
        if (explicit != null) {
            forHttps = ProxySettings.of(explicit.toString(), "proxy(URI)");
            forHttp = forHttps;
        } else {
            forHttps = fromEnv(env, "HTTPS_PROXY");
            forHttp = fromEnv(env, "HTTP_PROXY");
        }
        if (forHttps == null && forHttp == null) {
            return DIRECT;
        }
        String noProxy = explicitNoProxy != null ? explicitNoProxy : firstSet(env, "NO_PROXY");
        return new ProxyPolicy(forHttps, forHttp, NoProxy.parse(noProxy));
    }

    /** For tests: the given proxies (null for none) and bypass list. */
    static ProxyPolicy of(ProxySettings https, ProxySettings http, String noProxy) {
        return new ProxyPolicy(https, http, NoProxy.parse(noProxy));
    }

    private static ProxySettings fromEnv(Map<String, String> env, String upper) {
        String name = isSet(env.get(upper)) ? upper : upper.toLowerCase(Locale.ROOT);
        String value = env.get(name);
        return isSet(value) ? ProxySettings.of(value, name) : null;
    }

    private static String firstSet(Map<String, String> env, String upper) {
        String v = env.get(upper);
        return isSet(v) ? v : env.get(upper.toLowerCase(Locale.ROOT));
    }

    private static boolean isSet(String v) {
        return v != null && !v.isBlank();
    }

    /** The proxy for a connection to {@code url} ({@code http}, {@code https}, {@code ws} or {@code wss}), if any. */
    Optional<ProxySettings> proxyFor(URI url) {
        return proxyFor(url.getScheme(), url.getHost(), url.getPort());
    }

    /** @param port -1 for the scheme's default */
    Optional<ProxySettings> proxyFor(String scheme, String host, int port) {
        if (scheme == null || host == null) {
            return Optional.empty();
        }
        boolean secure;
        switch (scheme.toLowerCase(Locale.ROOT)) {
            case "https", "wss" -> secure = true;
            case "http", "ws" -> secure = false;
            default -> {
                return Optional.empty();
            }
        }
        ProxySettings p = secure ? https : http;
        if (p == null || noProxy.matches(host, port != -1 ? port : secure ? 443 : 80)) {
            return Optional.empty();
        }
        return Optional.of(p);
    }

    /** True when no proxy is configured for any scheme. */
    boolean isDirect() {
        return https == null && http == null;
    }

    /** Every distinct proxy this policy may pick. */
    Set<ProxySettings> proxies() {
        Set<ProxySettings> out = new LinkedHashSet<>();
        if (https != null) {
            out.add(https);
        }
        if (http != null) {
            out.add(http);
        }
        return out;
    }

    @Override
    public String toString() {
        if (isDirect()) {
            return "direct";
        }
        return "https=" + (https == null ? "direct" : https.endpoint()) + ", http=" + (http == null ? "direct" : http.endpoint())
                + (https != null && https.hasCredentials() || http != null && http.hasCredentials() ? " (with credentials)" : "")
                + ", noProxy=" + noProxy;
    }
}
