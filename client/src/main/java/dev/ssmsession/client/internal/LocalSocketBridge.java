package dev.ssmsession.client.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.util.concurrent.ExecutorService;
import java.util.function.Consumer;

/**
 * Copies between a local TCP socket and a {@link TunnelConnection}, one thread per direction.
 * Credit goes back to the tunnel only after the local write completed. When either direction ends
 * both are closed: there is no half-close through the tunnel (SPEC §8.4).
 */
public final class LocalSocketBridge {
    private static final Logger log = LoggerFactory.getLogger(LocalSocketBridge.class);
    static final int BUFFER = 32 * 1024;

    private LocalSocketBridge() {
    }

    /**
     * @param onFailure hears why the destination side failed (e.g. ConnectToPortError); not called on a clean end
     * @param onDone    runs once, after both directions stopped
     */
    public static void start(Socket socket, TunnelConnection tunnel, ExecutorService io,
                             Consumer<IOException> onFailure, Runnable onDone) {
        java.util.concurrent.atomic.AtomicInteger running = new java.util.concurrent.atomic.AtomicInteger(2);
        Runnable finished = () -> {
            if (running.decrementAndGet() == 0) {
                onDone.run();
            }
        };
        io.execute(() -> {
            byte[] buf = new byte[BUFFER];
            try (socket) {
                InputStream in = socket.getInputStream();
                int n;
                while ((n = in.read(buf)) > 0) {
                    tunnel.write(buf, 0, n);
                }
            } catch (IOException e) {
                log.debug("local → tunnel ended: {}", e.getMessage());
            } finally {
                tunnel.close();
                finished.run();
            }
        });
        io.execute(() -> {
            byte[] buf = new byte[BUFFER];
            try {
                OutputStream out = socket.getOutputStream();
                int n;
                while ((n = tunnel.read(buf, 0, buf.length, 0)) >= 0) {
                    out.write(buf, 0, n);
                    tunnel.consumed(n);
                }
            } catch (IOException e) {
                if (!socket.isClosed()) {
                    onFailure.accept(e);
                }
            } finally {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // closing anyway
                }
                tunnel.close();
                finished.run();
            }
        });
    }
}
