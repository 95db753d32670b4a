package dev.ssmsession.web.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Writes the server's HTTP/1.1 responses (one per connection: {@code Connection: close}). Every response carries the
 * same defensive headers; none carries CORS headers, so another site's page can neither read the answers nor frame
 * the terminal.
 */
public final class HttpResponses {
    /**
     * Scripts and styles only from this server (xterm.js adds its own style elements, hence 'unsafe-inline' for
     * styles); WebSocket and fetch only to this server; no framing.
     */
    static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
            + "connect-src 'self'; img-src 'self' data:; font-src 'self'; base-uri 'none'; form-action 'none'; "
            + "frame-ancestors 'none'";

    private HttpResponses() {
    }

    public static void send(OutputStream out, int status, String reason, String contentType, byte[] body,
                            boolean head) throws IOException {
        StringBuilder h = new StringBuilder();
        h.append("HTTP/1.1 ").append(status).append(' ').append(reason).append("\r\n");
        h.append("Content-Type: ").append(contentType).append("\r\n");
        h.append("Content-Length: ").append(body.length).append("\r\n");
        h.append("Cache-Control: no-store\r\n");
        h.append("X-Content-Type-Options: nosniff\r\n");
        h.append("X-Frame-Options: DENY\r\n");
        h.append("Referrer-Policy: no-referrer\r\n");
        h.append("Content-Security-Policy: ").append(CSP).append("\r\n");
        h.append("Connection: close\r\n\r\n");
        out.write(h.toString().getBytes(StandardCharsets.ISO_8859_1));
        if (!head) {
            out.write(body);
        }
        out.flush();
    }

    public static void text(OutputStream out, int status, String reason, String message) throws IOException {
        send(out, status, reason, "text/plain; charset=utf-8", (message + "\n").getBytes(StandardCharsets.UTF_8), false);
    }

    public static void redirect(OutputStream out, String location) throws IOException {
        String h = "HTTP/1.1 301 Moved Permanently\r\nLocation: " + location + "\r\nContent-Length: 0\r\n"
                + "Cache-Control: no-store\r\nReferrer-Policy: no-referrer\r\nConnection: close\r\n\r\n";
        out.write(h.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    public static void switchingProtocols(OutputStream out, String accept) throws IOException {
        String h = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Accept: " + accept + "\r\n\r\n";
        out.write(h.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }
}
