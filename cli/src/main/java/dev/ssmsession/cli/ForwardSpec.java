package dev.ssmsession.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One {@code -L} forward, OpenSSH-like: {@code [bind:]localport:[host:]remoteport}. Without a bind address the
 * listener is on loopback only (ARCHITECTURE decision 8); local port 0 picks a free port. IPv6 addresses go in
 * brackets: {@code [::1]:8080:80}.
 *
 * @param host the destination as seen from the target; empty means the target itself
 */
public record ForwardSpec(String bindAddress, int localPort, Optional<String> host, int remotePort) {
    public static final String LOOPBACK = "127.0.0.1";

    /** Parses a spec; the exception message quotes the spec and says which part is wrong. */
    public static ForwardSpec parse(String spec) {
        List<String> parts = split(spec);
        String bind = LOOPBACK;
        Optional<String> host = Optional.empty();
        int local;
        int remote;
        switch (parts.size()) {
            case 2 -> {
                local = port(spec, parts.get(0), "local port", true);
                remote = port(spec, parts.get(1), "remote port", false);
            }
            case 3 -> {
                if (isNumber(parts.get(0))) { // localport:host:remoteport
                    local = port(spec, parts.get(0), "local port", true);
                    host = Optional.of(host(spec, parts.get(1)));
                } else { // bind:localport:remoteport
                    bind = host(spec, parts.get(0));
                    local = port(spec, parts.get(1), "local port", true);
                }
                remote = port(spec, parts.get(2), "remote port", false);
            }
            case 4 -> {
                bind = host(spec, parts.get(0));
                local = port(spec, parts.get(1), "local port", true);
                host = Optional.of(host(spec, parts.get(2)));
                remote = port(spec, parts.get(3), "remote port", false);
            }
            default -> throw new IllegalArgumentException("invalid forward '" + spec
                    + "': expected [bind:]localport:[host:]remoteport, e.g. 8080:80 or 5432:db.internal:5432");
        }
        return new ForwardSpec(bind, local, host, remote);
    }

    /** Splits on ':' outside brackets, dropping the brackets of IPv6 literals. */
    private static List<String> split(String spec) {
        List<String> parts = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean bracket = false;
        for (char c : spec.toCharArray()) {
            if (c == '[' && current.length() == 0 && !bracket) {
                bracket = true;
            } else if (c == ']' && bracket) {
                bracket = false;
            } else if (c == ':' && !bracket) {
                parts.add(current.toString());
                current.setLength(0);
            } else {
                current.append(c);
            }
        }
        if (bracket) {
            throw new IllegalArgumentException("invalid forward '" + spec + "': unclosed '['");
        }
        parts.add(current.toString());
        return parts;
    }

    private static boolean isNumber(String s) {
        return !s.isEmpty() && s.chars().allMatch(Character::isDigit);
    }

    private static int port(String spec, String value, String what, boolean zeroAllowed) {
        if (!isNumber(value) || value.length() > 5) {
            throw new IllegalArgumentException("invalid forward '" + spec + "': " + what + " '" + value
                    + "' is not a number");
        }
        int port = Integer.parseInt(value);
        if (port > 65535 || (port == 0 && !zeroAllowed)) {
            throw new IllegalArgumentException("invalid forward '" + spec + "': " + what + " " + port
                    + " is out of range (" + (zeroAllowed ? 0 : 1) + "-65535)");
        }
        return port;
    }

    private static String host(String spec, String value) {
        if (value.isBlank()) {
            throw new IllegalArgumentException("invalid forward '" + spec + "': empty host");
        }
        return value;
    }

    @Override
    public String toString() {
        String bind = bindAddress.contains(":") ? "[" + bindAddress + "]" : bindAddress;
        return bind + ":" + localPort + ":" + host.map(h -> (h.contains(":") ? "[" + h + "]" : h) + ":").orElse("")
                + remotePort;
    }
}
