package dev.ssmsession.web.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One HTTP/1.1 request head (request line and headers; the server takes no bodies). Header names are lower case; a
 * repeated header keeps its first value except where {@link #parse} says otherwise.
 *
 * @param method  e.g. {@code GET}
 * @param path    the request target's path, not decoded
 * @param query   the raw query string, empty when there is none
 * @param headers lower-case names to values
 */
public record HttpRequest(String method, String path, String query, Map<String, String> headers) {
    /** Longest request line or header line accepted. */
    static final int MAX_LINE = 8192;
    /** Most header lines accepted. */
    static final int MAX_HEADERS = 100;

    public HttpRequest {
        headers = Map.copyOf(headers);
    }

    public Optional<String> header(String name) {
        return Optional.ofNullable(headers.get(name.toLowerCase(Locale.ROOT)));
    }

    /** The first value of query parameter {@code name}, decoded. */
    public Optional<String> queryParameter(String name) {
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            String key = eq < 0 ? pair : pair.substring(0, eq);
            if (decode(key).equals(name)) {
                return Optional.of(eq < 0 ? "" : decode(pair.substring(eq + 1)));
            }
        }
        return Optional.empty();
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return s;
        }
    }

    /**
     * Reads one request head from {@code in}.
     *
     * @return empty when the stream ended before any byte (a client that connected and left)
     * @throws BadRequestException on anything that is not a well-formed HTTP/1.1 request head within the limits
     */
    public static Optional<HttpRequest> parse(InputStream in) throws IOException {
        String requestLine = readLine(in, true);
        if (requestLine == null) {
            return Optional.empty();
        }
        String[] parts = requestLine.split(" ", -1);
        if (parts.length != 3 || parts[0].isEmpty() || parts[1].isEmpty()) {
            throw new BadRequestException("malformed request line: " + printable(requestLine));
        }
        if (!parts[2].equals("HTTP/1.1") && !parts[2].equals("HTTP/1.0")) {
            throw new BadRequestException("unsupported protocol " + printable(parts[2]));
        }
        if (!parts[1].startsWith("/")) {
            throw new BadRequestException("request target must be a path: " + printable(parts[1]));
        }
        Map<String, String> headers = new LinkedHashMap<>();
        for (int n = 0; ; n++) {
            String line = readLine(in, false);
            if (line.isEmpty()) {
                break;
            }
            if (n == MAX_HEADERS) {
                throw new BadRequestException("more than " + MAX_HEADERS + " header lines");
            }
            int colon = line.indexOf(':');
            if (colon <= 0 || line.charAt(0) == ' ' || line.charAt(0) == '\t') {
                throw new BadRequestException("malformed header line: " + printable(line));
            }
            String name = line.substring(0, colon).strip().toLowerCase(Locale.ROOT);
            String value = line.substring(colon + 1).strip();
            // Host twice is a request smuggling signal (RFC 9112 §3.2): refuse rather than pick one.
            if (headers.putIfAbsent(name, value) != null && (name.equals("host") || name.equals("origin"))) {
                throw new BadRequestException("repeated " + name + " header");
            }
        }
        String target = parts[1];
        int q = target.indexOf('?');
        String path = q < 0 ? target : target.substring(0, q);
        String query = q < 0 ? "" : target.substring(q + 1);
        return Optional.of(new HttpRequest(parts[0], path, query, headers));
    }

    /** A line ended by CRLF (a bare LF is accepted, RFC 9112 §2.2); null at a clean end of stream if allowed. */
    private static String readLine(InputStream in, boolean endAllowed) throws IOException {
        StringBuilder line = new StringBuilder();
        while (true) {
            int b = in.read();
            if (b < 0) {
                if (endAllowed && line.length() == 0) {
                    return null;
                }
                throw new BadRequestException("request head cut short");
            }
            if (b == '\n') {
                int end = line.length();
                if (end > 0 && line.charAt(end - 1) == '\r') {
                    line.setLength(end - 1);
                }
                return line.toString();
            }
            if (line.length() == MAX_LINE) {
                throw new BadRequestException("request line or header longer than " + MAX_LINE + " bytes");
            }
            // ISO-8859-1, as HTTP/1.1 header octets are; nothing here needs more.
            line.append((char) b);
        }
    }

    public static String printable(String s) {
        String cut = s.length() > 80 ? s.substring(0, 80) + "…" : s;
        return cut.replaceAll("[^\\x20-\\x7e]", "?");
    }

    /** A request the server answers with 400. */
    public static final class BadRequestException extends IOException {
        private static final long serialVersionUID = 1L;

        public BadRequestException(String message) {
            super(message);
        }
    }
}
