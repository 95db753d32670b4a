package dev.ssmsession.client.internal;

import org.apache.http.conn.ConnectTimeoutException;
import org.apache.http.impl.execchain.TunnelRefusedException;

import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The proxy, not the endpoint behind it, stopped a connection: it could not be reached, it asked
 * for credentials (407), or it refused the request or the CONNECT. One message for the SDK calls
 * and the WebSocket, naming the proxy's host and port and where it was configured, never its
 * credentials. An {@link IOException} so that it travels through the SDK's HTTP layer unchanged.
 */
final class ProxyFailureException extends IOException {
    private static final long serialVersionUID = 1L;
    private static final Pattern STATUS_LINE = Pattern.compile("HTTP/\\d(?:\\.\\d)? (\\d{3})[^\\r\\n]*");

    private ProxyFailureException(String message, Throwable cause) {
        super(message, cause);
    }

    /** A TCP connection to the proxy itself failed. */
    static ProxyFailureException unreachable(ProxySettings proxy, IOException cause) {
        String why;
        if (cause instanceof ConnectException && String.valueOf(cause.getMessage()).toLowerCase(java.util.Locale.ROOT).contains("refused")) {
            why = "connection refused";
        } else if (cause instanceof UnknownHostException) {
            why = "unknown host";
        } else if (cause instanceof NoRouteToHostException) {
            why = "no route to host";
        } else if (cause instanceof java.net.SocketTimeoutException || cause instanceof ConnectTimeoutException) {
            why = "no answer (timed out)";
        } else {
            why = cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
        }
        return new ProxyFailureException(proxy.describe() + " is not reachable (" + why
                + "); check the proxy URL, or list the endpoint's host in NO_PROXY to connect directly", cause);
    }

    /**
     * The proxy answered {@code statusLine} instead of forwarding (a CONNECT's answer always comes
     * from the proxy; for plain http the caller decides, see {@link ProxyRoutingHttpClient}).
     *
     * @param target {@code host:port} the request or CONNECT was for
     */
    static ProxyFailureException refused(ProxySettings proxy, String target, String statusLine, Throwable cause) {
        Matcher m = STATUS_LINE.matcher(statusLine == null ? "" : statusLine);
        boolean found = m.find();
        String status = found ? m.group() : String.valueOf(statusLine);
        // tinyproxy answers wrong credentials with 401 (and WWW-Authenticate) instead of another 407.
        if (found && (m.group(1).equals("407") || m.group(1).equals("401") && proxy.hasCredentials())) {
            String what = proxy.hasCredentials()
                    ? " rejected the user name and password of its URL (" + status + ")"
                    : " requires authentication (" + status + "): put the user name and password in the proxy URL, "
                            + "http://user:password@host:port, percent-encoded";
            return new ProxyFailureException(proxy.describe() + what, cause);
        }
        return new ProxyFailureException(proxy.describe() + " refused the connection to " + target + " (" + status + ")", cause);
    }

    /**
     * What an SDK request sent through {@code proxy} failed of, if the proxy is to blame; null when
     * the failure is the endpoint's (it stays the SDK's own exception).
     */
    static ProxyFailureException classify(ProxySettings proxy, String target, IOException e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ProxyFailureException p) {
                return p;
            }
            if (t instanceof TunnelRefusedException r) {
                return refused(proxy, target, r.getResponse() == null ? r.getMessage()
                        : r.getResponse().getStatusLine().toString(), e);
            }
            // Through a proxy the client opens TCP connections to the proxy only.
            if (t instanceof ConnectException || t instanceof ConnectTimeoutException
                    || t instanceof UnknownHostException || t instanceof NoRouteToHostException) {
                return unreachable(proxy, (IOException) t);
            }
        }
        return null;
    }
}
