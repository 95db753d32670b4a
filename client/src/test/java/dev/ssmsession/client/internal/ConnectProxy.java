package dev.ssmsession.client.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/** A minimal HTTP CONNECT proxy on loopback that records request heads. */
public final class ConnectProxy implements AutoCloseable {
    public final BlockingQueue<String> requests = new LinkedBlockingQueue<>();
    private final ServerSocket server;
    volatile String requiredAuthorization;

    public ConnectProxy() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread t = new Thread(this::acceptLoop, "test-proxy");
        t.setDaemon(true);
        t.start();
    }

    public int port() {
        return server.getLocalPort();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket c = server.accept();
                Thread t = new Thread(() -> handle(c), "test-proxy-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void handle(Socket client) {
        try (client) {
            InputStream in = client.getInputStream();
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
                int b = in.read();
                if (b < 0) {
                    return;
                }
                head.write(b);
            }
            String h = head.toString(StandardCharsets.ISO_8859_1);
            requests.add(h);
            OutputStream out = client.getOutputStream();
            if (requiredAuthorization != null && !h.contains("Proxy-Authorization: " + requiredAuthorization + "\r\n")) {
                out.write("HTTP/1.1 407 Proxy Authentication Required\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                return;
            }
            String[] requestLine = h.split(" ");
            boolean tunnel = requestLine[0].equals("CONNECT");
            String authority = tunnel ? requestLine[1] : java.net.URI.create(requestLine[1]).getRawAuthority();
            String[] target = authority.split(":");
            try (Socket upstream = new Socket(target[0], Integer.parseInt(target[1]))) {
                if (tunnel) {
                    out.write("HTTP/1.1 200 Connection established\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                    out.flush();
                } else {
                    // Plain forward proxying (absolute-form request): pass the head on as it is.
                    upstream.getOutputStream().write(head.toByteArray());
                }
                Thread back = new Thread(() -> pipe(upstream, client));
                back.setDaemon(true);
                back.start();
                pipe(client, upstream);
                back.join(5000);
            }
        } catch (IOException | InterruptedException e) {
            // connection ended
        }
    }

    private static void pipe(Socket from, Socket to) {
        try {
            from.getInputStream().transferTo(to.getOutputStream());
            to.shutdownOutput();
        } catch (IOException e) {
            // one side closed
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
