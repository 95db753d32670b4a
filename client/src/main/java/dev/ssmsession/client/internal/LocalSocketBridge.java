package dev.ssmsession.client.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Copies between a local connection (TCP or unix domain socket) and a {@link TunnelConnection},
 * one thread per direction. Credit goes back to the tunnel only after the local write completed.
 * When either direction ends both are closed: there is no half-close through the tunnel (SPEC §8.4).
 */
public final class LocalSocketBridge {
    private static final Logger log = LoggerFactory.getLogger(LocalSocketBridge.class);
    static final int BUFFER = 32 * 1024;

    private LocalSocketBridge() {
    }

    /**
     * @param channel   a connected, blocking channel
     * @param onFailure hears why the destination side failed (e.g. ConnectToPortError); not called on a clean end
     * @param onDone    runs once, after both directions stopped
     */
    public static void start(SocketChannel channel, TunnelConnection tunnel, ExecutorService io,
                             Consumer<IOException> onFailure, Runnable onDone) {
        AtomicInteger running = new AtomicInteger(2);
        Runnable finished = () -> {
            if (running.decrementAndGet() == 0) {
                onDone.run();
            }
        };
        io.execute(() -> {
            ByteBuffer buf = ByteBuffer.allocate(BUFFER);
            try {
                while (channel.read(buf) > 0) {
                    tunnel.write(buf.array(), 0, buf.position());
                    buf.clear();
                }
            } catch (IOException e) {
                log.debug("local → tunnel ended: {}", e.getMessage());
            } finally {
                closeQuietly(channel);
                tunnel.close();
                finished.run();
            }
        });
        io.execute(() -> {
            byte[] buf = new byte[BUFFER];
            try {
                int n;
                while ((n = tunnel.read(buf, 0, buf.length, 0)) >= 0) {
                    ByteBuffer out = ByteBuffer.wrap(buf, 0, n);
                    while (out.hasRemaining()) {
                        channel.write(out);
                    }
                    tunnel.consumed(n);
                }
            } catch (IOException e) {
                if (channel.isOpen()) {
                    onFailure.accept(e);
                }
            } finally {
                closeQuietly(channel);
                tunnel.close();
                finished.run();
            }
        });
    }

    private static void closeQuietly(SocketChannel c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
