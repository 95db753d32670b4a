package dev.ssmsession.testkit.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;

/** Where the agent dials for a Port session: {@code host} or localhost, and {@code portNumber}. */
public record PortTarget(String host, int port) {
    private static final int CONNECT_TIMEOUT_MS = 5000;

    public Socket connect() throws IOException {
        InetAddress addr = host == null || host.isEmpty() || host.equals("localhost")
                ? InetAddress.getLoopbackAddress() : InetAddress.getByName(host);
        Socket s = new Socket();
        try {
            s.connect(new InetSocketAddress(addr, port), CONNECT_TIMEOUT_MS);
            s.setTcpNoDelay(true);
            return s;
        } catch (IOException e) {
            s.close();
            throw e;
        }
    }

    @Override
    public String toString() {
        return (host == null || host.isEmpty() ? "localhost" : host) + ":" + port;
    }
}
