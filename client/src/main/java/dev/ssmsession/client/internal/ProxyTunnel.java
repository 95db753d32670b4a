package dev.ssmsession.client.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * An HTTP {@code CONNECT} tunnel through the configured proxy, so the WebSocket to ssmmessages
 * takes the same path as the SDK's HTTPS calls. TLS to the real host runs inside the tunnel.
 */
final class ProxyTunnel {
    private static final int MAX_RESPONSE_HEAD = 16 * 1024;

    private ProxyTunnel() {
    }

    /** @throws ProxyFailureException when the proxy cannot be reached or answers the CONNECT with anything but 200 */
    static Socket open(ProxySettings proxy, String host, int port, int timeoutMillis) throws IOException {
        Socket s = new Socket();
        boolean ok = false;
        String authority = (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
        try {
            try {
                s.connect(new InetSocketAddress(proxy.host(), proxy.port()), timeoutMillis);
            } catch (IOException e) {
                throw ProxyFailureException.unreachable(proxy, e);
            }
            s.setSoTimeout(timeoutMillis);
            StringBuilder req = new StringBuilder()
                    .append("CONNECT ").append(authority).append(" HTTP/1.1\r\n")
                    .append("Host: ").append(authority).append("\r\n");
            proxy.basicAuthorization().ifPresent(a -> req.append("Proxy-Authorization: ").append(a).append("\r\n"));
            req.append("\r\n");
            OutputStream out = s.getOutputStream();
            out.write(req.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            String head = readHead(s.getInputStream());
            String status = head.lines().findFirst().orElse("");
            String[] parts = status.split(" ", 3);
            if (parts.length < 2 || !parts[0].startsWith("HTTP/") || !parts[1].equals("200")) {
                throw ProxyFailureException.refused(proxy, authority, status, null);
            }
            s.setSoTimeout(0);
            ok = true;
            return s;
        } finally {
            if (!ok) {
                s.close();
            }
        }
    }

    /** Reads byte by byte up to the blank line so nothing of the tunnelled stream is consumed. */
    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int state = 0;
        while (state < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("proxy closed the connection during CONNECT");
            }
            buf.write(b);
            if (buf.size() > MAX_RESPONSE_HEAD) {
                throw new IOException("proxy CONNECT response head longer than " + MAX_RESPONSE_HEAD + " bytes");
            }
            state = (b == '\r' && (state == 0 || state == 2)) || (b == '\n' && (state == 1 || state == 3))
                    ? state + 1 : (b == '\r' ? 1 : 0);
        }
        return buf.toString(StandardCharsets.ISO_8859_1);
    }
}
