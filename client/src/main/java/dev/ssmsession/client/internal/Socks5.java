package dev.ssmsession.client.internal;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;

/**
 * The server side of a SOCKS5 handshake (RFC 1928): method selection with "no authentication"
 * only, then one CONNECT request. Plain byte parsing over blocking streams, no sockets of its own.
 */
public final class Socks5 {
    static final int VERSION = 5;
    static final int NO_AUTHENTICATION = 0x00;
    static final int NO_ACCEPTABLE_METHODS = 0xFF;
    static final int CMD_CONNECT = 1;
    static final int ATYP_IPV4 = 1;
    static final int ATYP_DOMAIN = 3;
    static final int ATYP_IPV6 = 4;

    /** Reply codes, RFC 1928 §6. */
    public enum Reply {
        SUCCEEDED(0x00),
        GENERAL_FAILURE(0x01),
        NOT_ALLOWED(0x02),
        NETWORK_UNREACHABLE(0x03),
        HOST_UNREACHABLE(0x04),
        CONNECTION_REFUSED(0x05),
        TTL_EXPIRED(0x06),
        COMMAND_NOT_SUPPORTED(0x07),
        ADDRESS_TYPE_NOT_SUPPORTED(0x08);

        private final int code;

        Reply(int code) {
            this.code = code;
        }

        public int code() {
            return code;
        }
    }

    /** What the client asked to CONNECT to; {@code host} is an address literal or a name to resolve remotely. */
    public record Destination(String host, int port) {
        @Override
        public String toString() {
            return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
        }
    }

    /** The client cannot be served; the handshake already answered it where RFC 1928 has an answer. */
    public static final class Rejected extends IOException {
        Rejected(String message) {
            super(message);
        }
    }

    private Socks5() {
    }

    /**
     * Reads the method selection and the request, answering the first; a request that cannot be
     * served (no acceptable method, not CONNECT, unknown address type) is answered and thrown.
     */
    public static Destination accept(InputStream in, OutputStream out) throws IOException {
        int version = readByte(in);
        if (version != VERSION) {
            throw new Rejected("not a SOCKS5 client (version byte " + version + ")");
        }
        byte[] methods = readFully(in, readByte(in));
        boolean noAuth = false;
        for (byte m : methods) {
            noAuth |= (m & 0xFF) == NO_AUTHENTICATION;
        }
        out.write(new byte[] {VERSION, (byte) (noAuth ? NO_AUTHENTICATION : NO_ACCEPTABLE_METHODS)});
        out.flush();
        if (!noAuth) {
            throw new Rejected("the client offers no method but authentication; only \"no authentication\" is supported");
        }
        if (readByte(in) != VERSION) {
            reply(out, Reply.GENERAL_FAILURE);
            throw new Rejected("request is not SOCKS5");
        }
        int command = readByte(in);
        readByte(in);  // RSV
        int addressType = readByte(in);
        String host = switch (addressType) {
            case ATYP_IPV4 -> InetAddress.getByAddress(readFully(in, 4)).getHostAddress();
            case ATYP_IPV6 -> InetAddress.getByAddress(readFully(in, 16)).getHostAddress();
            // Not resolved here: the name is passed to the instance, which resolves it in its own network.
            case ATYP_DOMAIN -> new String(readFully(in, readByte(in)), StandardCharsets.US_ASCII);
            default -> null;
        };
        if (host == null) {
            reply(out, Reply.ADDRESS_TYPE_NOT_SUPPORTED);
            throw new Rejected("address type " + addressType + " is not supported");
        }
        byte[] p = readFully(in, 2);
        int port = ((p[0] & 0xFF) << 8) | (p[1] & 0xFF);
        if (command != CMD_CONNECT) {
            reply(out, Reply.COMMAND_NOT_SUPPORTED);
            throw new Rejected("command " + command + " is not supported (CONNECT only)");
        }
        if (host.isEmpty() || port == 0) {
            reply(out, Reply.GENERAL_FAILURE);
            throw new Rejected("empty host name or port 0");
        }
        return new Destination(host, port);
    }

    /**
     * Sends a reply. The bound address is not known (it is on the instance's side), so it is
     * 0.0.0.0:0, which RFC 1928 clients accept.
     */
    public static void reply(OutputStream out, Reply reply) throws IOException {
        out.write(new byte[] {VERSION, (byte) reply.code(), 0, ATYP_IPV4, 0, 0, 0, 0, 0, 0});
        out.flush();
    }

    private static int readByte(InputStream in) throws IOException {
        int b = in.read();
        if (b < 0) {
            throw new EOFException("the client closed the connection during the SOCKS handshake");
        }
        return b;
    }

    private static byte[] readFully(InputStream in, int n) throws IOException {
        byte[] b = in.readNBytes(n);
        if (b.length < n) {
            throw new EOFException("the client closed the connection during the SOCKS handshake");
        }
        return b;
    }
}
