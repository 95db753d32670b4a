package dev.ssmsession.web.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Who may use the server: requests must carry the token as the first path segment ({@code /<token>/…}); the Host
 * header must name the server as bound (a DNS-rebinding page has another host name); a WebSocket upgrade's Origin must
 * be this very server ({@code http://} + Host), which a browser sets and a page of another site cannot change.
 */
public final class AccessPolicy {
    private final byte[] token;
    private final Set<String> hosts;

    /**
     * @param token the secret path segment
     * @param hosts allowed Host header values, lower case, {@code host:port}; empty allows any (a remote bind, where
     *     the token and the Origin check remain)
     */
    public AccessPolicy(String token, Set<String> hosts) {
        this.token = token.getBytes(StandardCharsets.US_ASCII);
        this.hosts = Set.copyOf(hosts);
    }

    /** The path below {@code /<token>/}, or empty when the token is missing or wrong ({@code /<token>} gives ""). */
    public Optional<String> resource(String path) {
        if (!path.startsWith("/")) {
            return Optional.empty();
        }
        int slash = path.indexOf('/', 1);
        String segment = slash < 0 ? path.substring(1) : path.substring(1, slash);
        // Constant time, so the token cannot be guessed a byte at a time from response timings.
        if (!MessageDigest.isEqual(segment.getBytes(StandardCharsets.UTF_8), token)) {
            return Optional.empty();
        }
        return Optional.of(slash < 0 ? "" : path.substring(slash + 1));
    }

    /** {@code /<token>} (right token, no trailing slash): redirect, so the page's relative URLs keep the token. */
    public boolean needsSlash(String path) {
        return path.indexOf('/', 1) < 0 && resource(path).isPresent();
    }

    public boolean hostAllowed(Optional<String> host) {
        if (host.isEmpty()) {
            return false;
        }
        return hosts.isEmpty() || hosts.contains(host.get().toLowerCase(Locale.ROOT));
    }

    /** The Origin of a WebSocket upgrade must be this server as the browser addressed it. */
    public boolean originAllowed(Optional<String> origin, Optional<String> host) {
        if (origin.isEmpty() || !hostAllowed(host)) {
            return false;
        }
        return origin.get().equalsIgnoreCase("http://" + host.get());
    }
}
