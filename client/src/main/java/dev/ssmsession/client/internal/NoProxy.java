package dev.ssmsession.client.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The hosts that bypass the proxy, from a {@code NO_PROXY} value. Entries are separated by commas
 * or white space and matched case-insensitively, as curl, Go and the AWS CLI read them together:
 * <ul>
 *   <li>{@code *}: every host;</li>
 *   <li>{@code example.com}, {@code .example.com}, {@code *.example.com}: that domain and every
 *       subdomain (Go matches only subdomains for the last two; curl and the AWS CLI also the domain);</li>
 *   <li>{@code 10.1.2.3}, {@code ::1}, {@code [::1]}: that address literal, compared as an address;</li>
 *   <li>{@code 10.0.0.0/8}, {@code fd00::/8}: an address literal in that range (no DNS lookup);</li>
 *   <li>any of the above with {@code :port} ({@code [v6]:port} for IPv6): only connections to that port.</li>
 * </ul>
 * Nothing is compiled as a pattern, and an entry that fits none of these forms is ignored (curl
 * and Go do the same), so no {@code NO_PROXY} value can make the client fail to start.
 */
final class NoProxy {
    private static final Logger log = LoggerFactory.getLogger(NoProxy.class);
    private static final Pattern SEPARATORS = Pattern.compile("[,\\s]+");
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern IPV6 = Pattern.compile("(?=.*:)[0-9a-f:][0-9a-f:.]*");
    private static final Pattern PORT = Pattern.compile("\\d{1,5}");
    static final NoProxy NONE = new NoProxy(List.of(), "");

    /** One entry. {@code port} is -1 for every port. */
    private sealed interface Rule permits Everything, Domain, Range {
    }

    private record Everything() implements Rule {
    }

    private record Domain(String name, int port) implements Rule {
    }

    /** An address ({@code bits} = its full length) or a CIDR range. */
    private record Range(byte[] network, int bits, int port) implements Rule {
    }

    private final List<Rule> rules;
    private final String text;

    private NoProxy(List<Rule> rules, String text) {
        this.rules = List.copyOf(rules);
        this.text = text;
    }

    /** @param value a {@code NO_PROXY} value; null or blank for none */
    static NoProxy parse(String value) {
        if (value == null || value.isBlank()) {
            return NONE;
        }
        List<Rule> rules = new ArrayList<>();
        for (String entry : SEPARATORS.split(value.trim())) {
            Rule r = rule(entry.toLowerCase(Locale.ROOT));
            if (r == null) {
                log.debug("Ignoring NO_PROXY entry '{}': not a host, domain, address or CIDR range", entry);
            } else {
                rules.add(r);
            }
        }
        return new NoProxy(rules, value.trim());
    }

    private static Rule rule(String entry) {
        if (entry.isEmpty()) {
            return null;
        }
        if (entry.equals("*")) {
            return new Everything();
        }
        String host = entry;
        int port = -1;
        if (host.startsWith("[")) {
            int close = host.indexOf(']');
            if (close < 0) {
                return null;
            }
            String rest = host.substring(close + 1);
            host = host.substring(1, close);
            if (!rest.isEmpty()) {
                if (!rest.startsWith(":") || (port = port(rest.substring(1))) < 0) {
                    return null;
                }
            }
        } else if (host.indexOf(':') >= 0 && host.indexOf(':') == host.lastIndexOf(':')) {
            // One colon: host:port. Two or more: an IPv6 literal (or range) without brackets.
            int colon = host.indexOf(':');
            if ((port = port(host.substring(colon + 1))) < 0) {
                return null;
            }
            host = host.substring(0, colon);
        }
        if (host.startsWith("*.")) {
            host = host.substring(1);
        }
        while (host.startsWith(".")) {
            host = host.substring(1);
        }
        host = stripTrailingDot(host);
        int slash = host.indexOf('/');
        if (slash >= 0) {
            byte[] net = literal(host.substring(0, slash));
            String bits = host.substring(slash + 1);
            if (net == null || !PORT.matcher(bits).matches() || Integer.parseInt(bits) > net.length * 8) {
                return null;
            }
            return new Range(net, Integer.parseInt(bits), port);
        }
        byte[] address = literal(host);
        if (address != null) {
            return new Range(address, address.length * 8, port);
        }
        if (host.isEmpty() || host.contains("*") || host.contains("/") || host.contains(":")) {
            return null;
        }
        return new Domain(host, port);
    }

    private static int port(String s) {
        if (!PORT.matcher(s).matches()) {
            return -1;
        }
        int p = Integer.parseInt(s);
        return p > 0 && p <= 65_535 ? p : -1;
    }

    /** Whether a connection to {@code host} (a name or an address literal, brackets allowed) on {@code port} goes direct. */
    boolean matches(String host, int port) {
        if (rules.isEmpty()) {
            return false;
        }
        String h = host.toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        h = stripTrailingDot(h);
        byte[] address = literal(h);
        for (Rule r : rules) {
            if (r instanceof Everything) {
                return true;
            }
            if (r instanceof Domain d) {
                // A name never matches an address literal: "0.0.1" is no suffix rule for "10.0.0.1".
                if (address == null && (d.port() < 0 || d.port() == port)
                        && (h.equals(d.name()) || h.endsWith("." + d.name()))) {
                    return true;
                }
            } else if (r instanceof Range range && address != null && (range.port() < 0 || range.port() == port)
                    && inRange(address, range)) {
                return true;
            }
        }
        return false;
    }

    private static boolean inRange(byte[] address, Range r) {
        if (address.length != r.network().length) {
            return false;
        }
        int full = r.bits() / 8;
        for (int i = 0; i < full; i++) {
            if (address[i] != r.network()[i]) {
                return false;
            }
        }
        int rest = r.bits() % 8;
        if (rest == 0) {
            return true;
        }
        int mask = (0xff << (8 - rest)) & 0xff;
        return (address[full] & mask) == (r.network()[full] & mask);
    }

    /**
     * The bytes of an IPv4 or IPv6 literal (zone id dropped), or null. Never a DNS lookup: the
     * JDK parses a string that contains a colon as an IPv6 literal or rejects it.
     */
    static byte[] literal(String s) {
        if (IPV4.matcher(s).matches()) {
            String[] parts = s.split("\\.");
            byte[] out = new byte[4];
            for (int i = 0; i < 4; i++) {
                int v = Integer.parseInt(parts[i]);
                if (v > 255) {
                    return null;
                }
                out[i] = (byte) v;
            }
            return out;
        }
        int zone = s.indexOf('%');
        String v6 = zone < 0 ? s : s.substring(0, zone);
        if (!IPV6.matcher(v6).matches()) {
            return null;
        }
        try {
            // ::ffff:a.b.c.d comes back as the IPv4 address, so both spellings match alike.
            return InetAddress.getByName(v6).getAddress();
        } catch (UnknownHostException e) {
            return null;
        }
    }

    private static String stripTrailingDot(String s) {
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }

    boolean isEmpty() {
        return rules.isEmpty();
    }

    @Override
    public String toString() {
        return text;
    }
}
