package dev.ssmsession.client.internal;

import org.java_websocket.WebSocket;
import org.java_websocket.drafts.Draft;
import org.java_websocket.exceptions.InvalidDataException;
import org.java_websocket.framing.CloseFrame;
import org.java_websocket.framing.Framedata;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.handshake.ServerHandshakeBuilder;
import org.java_websocket.server.WebSocketServer;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A loopback WebSocket server that records what a client does, for transport tests. */
final class LoopbackWebSocketServer extends WebSocketServer {
    final BlockingQueue<String> texts = new LinkedBlockingQueue<>();
    final BlockingQueue<byte[]> binaries = new LinkedBlockingQueue<>();
    final BlockingQueue<String> pings = new LinkedBlockingQueue<>();
    final BlockingQueue<WebSocket> opened = new LinkedBlockingQueue<>();
    final Map<String, String> lastHeaders = new ConcurrentHashMap<>();
    final BlockingQueue<String> paths = new LinkedBlockingQueue<>();
    /** Hears every binary message with the connection it came on, on the server's thread. */
    volatile java.util.function.BiConsumer<WebSocket, byte[]> onBinary = (c, b) -> { };
    volatile boolean rejectUpgrades;
    /** Closes each connection (1008) as soon as its OpenDataChannel arrives, as the service does with a refused token. */
    volatile boolean refuseOpenDataChannel;
    private final CountDownLatch started = new CountDownLatch(1);

    LoopbackWebSocketServer() {
        super(new InetSocketAddress("127.0.0.1", 0));
        setReuseAddr(true);
    }

    LoopbackWebSocketServer startAndWait() throws InterruptedException {
        start();
        if (!started.await(10, TimeUnit.SECONDS)) {
            throw new IllegalStateException("server did not start");
        }
        return this;
    }

    String url(String path) {
        return "ws://127.0.0.1:" + getPort() + path;
    }

    @Override
    public ServerHandshakeBuilder onWebsocketHandshakeReceivedAsServer(WebSocket conn, Draft draft, ClientHandshake request)
            throws InvalidDataException {
        if (rejectUpgrades) {
            throw new InvalidDataException(CloseFrame.POLICY_VALIDATION, "forbidden");
        }
        return super.onWebsocketHandshakeReceivedAsServer(conn, draft, request);
    }

    @Override
    public void onOpen(WebSocket conn, ClientHandshake handshake) {
        lastHeaders.clear();
        handshake.iterateHttpFields().forEachRemaining(k -> lastHeaders.put(k.toLowerCase(), handshake.getFieldValue(k)));
        paths.add(handshake.getResourceDescriptor());
        opened.add(conn);
    }

    @Override
    public void onWebsocketPing(WebSocket conn, Framedata f) {
        ByteBuffer b = f.getPayloadData();
        byte[] bytes = new byte[b.remaining()];
        b.get(bytes);
        pings.add(new String(bytes, java.nio.charset.StandardCharsets.US_ASCII));
        super.onWebsocketPing(conn, f);
    }

    @Override
    public void onClose(WebSocket conn, int code, String reason, boolean remote) {
    }

    @Override
    public void onMessage(WebSocket conn, String message) {
        texts.add(message);
        if (refuseOpenDataChannel) {
            conn.close(CloseFrame.POLICY_VALIDATION, "OpenDataChannel refused");
        }
    }

    @Override
    public void onMessage(WebSocket conn, ByteBuffer message) {
        byte[] b = new byte[message.remaining()];
        message.get(b);
        binaries.add(b);
        onBinary.accept(conn, b);
    }

    @Override
    public void onError(WebSocket conn, Exception ex) {
    }

    @Override
    public void onStart() {
        started.countDown();
    }
}
