package dev.ssmsession.client.internal;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * One HTTP proxy server: where it is, its credentials (percent-decoded, for
 * {@code Proxy-Authorization: Basic}) and where the setting came from. Which connections use it is
 * {@link ProxyPolicy}'s business. {@link #toString()} and {@link #describe()} never show the credentials.
 */
final class ProxySettings {
    private final String host;
    private final int port;
    private final String username;
    private final String password;
    private final String source;

    private ProxySettings(String host, int port, String username, String password, String source) {
        this.host = host;
        this.port = port;
        this.username = username;
        this.password = password;
        this.source = source;
    }

    /**
     * @param proxy  {@code http://[user[:password]@]host[:port]}; a bare {@code host:port} is taken as http
     * @param source where the value came from, for messages ({@code HTTPS_PROXY}, {@code proxy(URI)}…)
     * @throws IllegalArgumentException naming the source and the URL without its credentials
     */
    static ProxySettings of(String proxy, String source) {
        Objects.requireNonNull(proxy, "proxy");
        String text = proxy.trim();
        if (!text.contains("://")) {
            text = "http://" + text;
        }
        URI uri;
        try {
            uri = new URI(text);
        } catch (java.net.URISyntaxException e) {
            throw new IllegalArgumentException(source + " is not a valid proxy URL: " + redact(text));
        }
        if (uri.getHost() == null) {
            throw new IllegalArgumentException(source + " has no proxy host: " + redact(text)
                    + " (percent-encode special characters of the user name and password, e.g. @ as %40)");
        }
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http")) {
            // TLS to the proxy itself (https://) is not supported by the SDK's HTTP clients nor by our tunnel.
            throw new IllegalArgumentException(source + " must be an http:// proxy URL, got " + scheme + ": " + redact(text));
        }
        String host = uri.getHost();
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        String user = null;
        String pass = null;
        String info = uri.getRawUserInfo();
        if (info != null) {
            int colon = info.indexOf(':');
            try {
                user = decode(colon < 0 ? info : info.substring(0, colon));
                pass = colon < 0 ? "" : decode(info.substring(colon + 1));
            } catch (IllegalArgumentException e) {
                // URLDecoder's message quotes the bad escape, which may be part of the password.
                throw new IllegalArgumentException(source + ": the user name or password of the proxy URL has an "
                        + "invalid percent-escape (encode % as %25)");
            }
        }
        return new ProxySettings(host, uri.getPort() == -1 ? 80 : uri.getPort(), user, pass, source);
    }

    String host() {
        return host;
    }

    int port() {
        return port;
    }

    /** {@code http://host:port}, no credentials. */
    URI endpoint() {
        return URI.create("http://" + hostPort());
    }

    Optional<String> username() {
        return Optional.ofNullable(username);
    }

    /** Empty when the URL has no user info; {@code ""} for {@code user@host}. */
    Optional<String> password() {
        return Optional.ofNullable(password);
    }

    boolean hasCredentials() {
        return username != null;
    }

    /** The value of a {@code Proxy-Authorization} header, if the URL has credentials. */
    Optional<String> basicAuthorization() {
        return username().map(u -> "Basic " + java.util.Base64.getEncoder()
                .encodeToString((u + ":" + password).getBytes(StandardCharsets.UTF_8)));
    }

    /** {@code host:port}, brackets around an IPv6 host. */
    String hostPort() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    /** For messages: {@code proxy 10.0.0.1:3128 (HTTPS_PROXY)}. */
    String describe() {
        return "proxy " + hostPort() + " (" + source + ")";
    }

    private static String decode(String s) {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private static String redact(String url) {
        return url.replaceAll("//[^@/]*@", "//<credentials>@");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ProxySettings p && p.host.equals(host) && p.port == port
                && Objects.equals(p.username, username) && Objects.equals(p.password, password);
    }

    @Override
    public int hashCode() {
        return Objects.hash(host, port, username, password);
    }

    @Override
    public String toString() {
        return "ProxySettings[" + endpoint() + (username != null ? " (with credentials)" : "") + " from " + source + "]";
    }
}
