package dev.ssmsession.testkit.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ssmsession.protocol.message.PayloadType;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The agent's smux server holds a bounded amount of data for a destination that does not take it. */
class MuxPortPluginTest {
    /** smux v1 frame built by hand: version, cmd, little-endian length and stream id (SPEC §10.1). */
    private static byte[] frame(int cmd, int sid, byte[] data) {
        return ByteBuffer.allocate(8 + data.length).order(ByteOrder.LITTLE_ENDIAN)
                .put((byte) 1).put((byte) cmd).putShort((short) data.length).putInt(sid).put(data).array();
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void inputForAStreamWaitsOnceItsBufferIsFullInsteadOfGrowingTheHeap() throws Exception {
        List<String> sent = new ArrayList<>();
        AgentOutput out = new AgentOutput() {
            @Override
            public void send(PayloadType type, byte[] payload) {
                synchronized (sent) {
                    sent.add(type + ":" + HexFormat.of().formatHex(payload));
                }
            }

            @Override
            public void end(String reason) {
            }
        };
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        // A listener whose accept queue is full drops SYNs: the agent's dial hangs until its own
        // connect timeout, so nothing drains the stream's buffer meanwhile.
        try (ServerSocket dead = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            List<Socket> fill = new ArrayList<>();
            try {
                boolean full = false;
                for (int i = 0; i < 16 && !full; i++) {
                    Socket s = new Socket();
                    try {
                        s.connect(dead.getLocalSocketAddress(), 300);
                        fill.add(s);
                    } catch (SocketTimeoutException e) {
                        s.close();
                        full = true;
                    }
                }
                assertThat(full).as("the accept queue filled up").isTrue();
                MuxPortPlugin plugin = new MuxPortPlugin(new PortTarget("127.0.0.1", dead.getLocalPort()), false,
                        scheduler, "s-1", out);
                plugin.start();
                plugin.onInput(PayloadType.OUTPUT.wire(), frame(0, 3, new byte[0]));
                byte[] chunk = frame(2, 3, new byte[1000]);
                for (int i = 0; i < MuxPortPlugin.STREAM_BUFFER; i++) {
                    plugin.onInput(PayloadType.OUTPUT.wire(), chunk);  // fits: returns at once
                }
                // One more does not fit: it waits until the stream's writer is gone, which here is
                // when the dial fails and the agent has told the client (ConnectToPortError, FIN).
                CompletableFuture<List<String>> seenWhenReturned = CompletableFuture.supplyAsync(() -> {
                    plugin.onInput(PayloadType.OUTPUT.wire(), chunk);
                    synchronized (sent) {
                        return List.copyOf(sent);
                    }
                });
                assertThat(seenWhenReturned.get(30, TimeUnit.SECONDS))
                        .containsExactly("FLAG:00000003", "OUTPUT:0101000003000000");
                plugin.stop();
            } finally {
                for (Socket s : fill) {
                    s.close();
                }
            }
        } finally {
            scheduler.shutdownNow();
        }
    }
}
