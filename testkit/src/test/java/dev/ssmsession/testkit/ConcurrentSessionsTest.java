package dev.ssmsession.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ssmsession.protocol.message.ClientMessage;
import dev.ssmsession.protocol.message.ClientMessageCodec;
import dev.ssmsession.protocol.message.MalformedMessageException;
import dev.ssmsession.protocol.message.MessageType;
import dev.ssmsession.protocol.message.PayloadType;
import dev.ssmsession.protocol.payload.ChannelClosed;
import dev.ssmsession.protocol.payload.Payloads;
import dev.ssmsession.testkit.internal.FrameRelay;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.StartSessionResponse;

/**
 * Sessions of every kind at once on one testkit. Java-WebSocket runs every session's callbacks on
 * one worker thread: a callback that blocks stalls all sessions, an Error escaping one stops the
 * server ("Got fatal error in worker thread"). Both must stay confined to the session at fault.
 */
class ConcurrentSessionsTest {
    private static final int CHUNK = 64 * 1024;
    /** Far more than the loopback send buffer (tcp_wmem max, 4 MiB by default) and the destination's. */
    private static final int CHUNKS = 256;
    private static final int ROUNDS = 3;

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void portForwardToAStalledDestinationDoesNotHoldUpExecShellOrSmuxSessions() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try (LocalSessionManager local = LocalSessionManager.builder().workingDirectory(dir).shell("/bin/sh").build().start();
             SsmClient ssm = SsmApiTest.sdk(local);
             EchoServer echo = new EchoServer(null)) {
            for (int round = 0; round < ROUNDS; round++) {
                try (StalledDestination stalled = new StalledDestination()) {
                    StartSessionResponse r = Sessions.start(ssm, local.defaultTarget(), "AWS-StartPortForwardingSession",
                            Map.of("portNumber", Integer.toString(stalled.port())));
                    // ClientVersion below 1.1.70: basic mode, where every Output is written to the destination socket.
                    try (ProtocolClient port = handshakePort(r, "1.1.54.0")) {
                        for (int i = 0; i < CHUNKS; i++) {
                            port.send(PayloadType.OUTPUT, chunk(i));
                        }
                        int n = round;
                        CompletableFuture<String> exec = CompletableFuture.supplyAsync(() -> exec(ssm, local, n), pool);
                        CompletableFuture<String> shell = CompletableFuture.supplyAsync(() -> shell(ssm, local, n), pool);
                        CompletableFuture<String> smux = CompletableFuture.supplyAsync(() -> smux(ssm, local, echo, n), pool);

                        assertThat(exec.get(60, TimeUnit.SECONDS)).isEqualTo("exec-" + n + "\n|EXIT_CODE: 3");
                        assertThat(shell.get(60, TimeUnit.SECONDS)).contains("shell-" + (40 + n));
                        assertThat(smux.get(60, TimeUnit.SECONDS)).isEqualTo("smux-" + n + "\n");

                        // Then the destination reads: every byte arrives, in order, nothing lost while it stalled.
                        stalled.release();
                        assertThat(stalled.received.get(60, TimeUnit.SECONDS)).isEqualTo((long) CHUNKS * CHUNK);
                        port.send(PayloadType.FLAG, new byte[] {0, 0, 0, 2}); // TerminateSession
                        assertThat(port.nextControl().messageType()).isEqualTo(MessageType.CHANNEL_CLOSED.wire());
                    }
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void anErrorWhileHandlingOneSessionsFrameEndsThatSessionOnly() throws Exception {
        // A LinkageError is what Java-WebSocket treats as fatal: it stops the whole server when one
        // escapes a callback. The relay runs inside the binary-frame callback, so it throws it there.
        // Acks pass, so the failure comes with the handshake response, after the test sent it.
        FrameRelay failing = (direction, frame, next) -> {
            if (direction == FrameDirection.CLIENT_TO_AGENT && isInput(frame)) {
                throw new NoClassDefFoundError("injected by the test");
            }
            next.accept(frame);
        };
        try (LocalSessionManager local = LocalSessionManager.builder().workingDirectory(dir).shell("/bin/sh")
                .relay(s -> "fail".equals(s.parameters().get("command")) ? failing : FrameRelay.PASS_THROUGH)
                .build().start();
             SsmClient ssm = SsmApiTest.sdk(local)) {
            StartSessionResponse sh = ssm.startSession(b -> b.target(local.defaultTarget()));
            try (ProtocolClient shell = ProtocolClient.open(sh.streamUrl(), sh.tokenValue())) {
                shell.sendText("echo before-$((1+1))\r");
                shell.readUntil(PayloadType.OUTPUT, s -> s.contains("before-2"));

                StartSessionResponse bad = Sessions.start(ssm, local.defaultTarget(), "AWS-StartNonInteractiveCommand",
                        Map.of("command", "fail"));
                try (ProtocolClient c = ProtocolClient.open(bad.streamUrl(), bad.tokenValue())) {
                    JsonNode req = Sessions.json(c.nextData());
                    Sessions.answerSessionType(c, "1.2.677.0", req);
                    ClientMessage closed = c.nextControl();
                    assertThat(closed.messageType()).isEqualTo(MessageType.CHANNEL_CLOSED.wire());
                    assertThat(Payloads.fromJson(closed.payload(), ChannelClosed.class).output())
                            .contains("The testkit failed on a binary frame").contains("NoClassDefFoundError");
                    assertThat(c.awaitClose().code()).isEqualTo(1011);
                }
                assertThat(local.session(bad.sessionId()).orElseThrow().closeReason()).contains("The testkit failed on a binary frame");

                // The session that was open all along still works, and new sessions start.
                shell.sendText("echo after-$((2+2))\r");
                shell.readUntil(PayloadType.OUTPUT, s -> s.contains("after-4"));
                assertThat(exec(ssm, local, 7)).isEqualTo("exec-7\n|EXIT_CODE: 3");
            }
        }
    }

    private static boolean isInput(byte[] frame) {
        try {
            return ClientMessageCodec.create().decode(frame).is(MessageType.INPUT_STREAM_DATA);
        } catch (MalformedMessageException e) {
            return false;
        }
    }

    private static ProtocolClient handshakePort(StartSessionResponse r, String clientVersion) throws Exception {
        ProtocolClient c = ProtocolClient.open(r.streamUrl(), r.tokenValue());
        Sessions.answerSessionType(c, clientVersion, Sessions.json(c.nextData()));
        assertThat(c.nextData().payloadType()).isEqualTo(PayloadType.HANDSHAKE_COMPLETE.wire());
        return c;
    }

    /** Output and exit code of a NonInteractiveCommands session, as {@code stdout|EXIT_CODE: n}. */
    private static String exec(SsmClient ssm, LocalSessionManager local, int n) {
        StartSessionResponse r = Sessions.start(ssm, local.defaultTarget(), "AWS-StartNonInteractiveCommand",
                Map.of("command", "echo exec-" + n + "; exit 3"));
        try (ProtocolClient c = ProtocolClient.open(r.streamUrl(), r.tokenValue())) {
            Sessions.answerSessionType(c, "1.2.677.0", Sessions.json(c.nextData()));
            assertThat(c.nextData().payloadType()).isEqualTo(PayloadType.HANDSHAKE_COMPLETE.wire());
            StringBuilder out = new StringBuilder();
            while (true) {
                ClientMessage m = c.nextData();
                String text = new String(m.payload(), StandardCharsets.UTF_8);
                if (m.payloadType() == PayloadType.EXIT_CODE.wire()) {
                    return out + "|" + text;
                }
                out.append(text);
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String shell(SsmClient ssm, LocalSessionManager local, int n) {
        StartSessionResponse r = ssm.startSession(b -> b.target(local.defaultTarget()));
        try (ProtocolClient c = ProtocolClient.open(r.streamUrl(), r.tokenValue())) {
            c.sendText("echo shell-$((40+" + n + "))\r");
            String out = c.readUntil(PayloadType.OUTPUT, s -> s.contains("shell-" + (40 + n)));
            c.sendText("exit 0\r");
            assertThat(c.nextControl().messageType()).isEqualTo(MessageType.CHANNEL_CLOSED.wire());
            return out;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String smux(SsmClient ssm, LocalSessionManager local, EchoServer echo, int n) {
        StartSessionResponse r = Sessions.start(ssm, local.defaultTarget(), "AWS-StartPortForwardingSession",
                Map.of("portNumber", Integer.toString(echo.port())));
        try (ProtocolClient c = handshakePort(r, "1.2.677.0")) {
            c.send(PayloadType.OUTPUT, PortSessionTest.concat(PortSessionTest.smux(0, 3, ""),
                    PortSessionTest.smux(2, 3, "smux-" + n + "\n")));
            PortSessionTest.SmuxReader in = new PortSessionTest.SmuxReader();
            in.readUntil(c, () -> in.data(3).equals("smux-" + n + "\n"));
            return in.data(3);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Bytes whose value depends on their position in the whole stream, so loss or reordering shows. */
    private static byte[] chunk(int index) {
        byte[] b = new byte[CHUNK];
        for (int i = 0; i < CHUNK; i++) {
            long pos = (long) index * CHUNK + i;
            b[i] = (byte) (pos * 31 + (pos >>> 16));
        }
        return b;
    }

    /**
     * A destination that accepts one connection and reads nothing until released, with a small
     * receive buffer, so the writer's socket fills and blocks; then it checks every byte.
     */
    private static final class StalledDestination implements AutoCloseable {
        final ServerSocket server;
        final CountDownLatch released = new CountDownLatch(1);
        final CompletableFuture<Long> received = new CompletableFuture<>();

        StalledDestination() throws IOException {
            server = new ServerSocket();
            server.setReceiveBufferSize(4096);
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            Thread t = new Thread(this::serve, "stalled-destination");
            t.setDaemon(true);
            t.start();
        }

        int port() {
            return server.getLocalPort();
        }

        void release() {
            released.countDown();
        }

        private void serve() {
            try (Socket s = server.accept(); InputStream in = s.getInputStream()) {
                released.await();
                byte[] buf = new byte[CHUNK];
                long pos = 0;
                long total = (long) CHUNKS * CHUNK;
                while (pos < total) {
                    int n = in.read(buf);
                    if (n < 0) {
                        break;
                    }
                    for (int i = 0; i < n; i++, pos++) {
                        if (buf[i] != (byte) (pos * 31 + (pos >>> 16))) {
                            throw new IllegalStateException("byte " + pos + " differs");
                        }
                    }
                }
                received.complete(pos);
            } catch (Exception e) {
                received.completeExceptionally(e);
            }
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }
}
