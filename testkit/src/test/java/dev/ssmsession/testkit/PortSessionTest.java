package dev.ssmsession.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ssmsession.protocol.message.ClientMessage;
import dev.ssmsession.protocol.message.MessageType;
import dev.ssmsession.protocol.message.PayloadType;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.StartSessionResponse;

/** Port sessions: basic mode, smux server mode, remote host, stdio (SSH), refused destinations. */
class PortSessionTest {
    static LocalSessionManager local;
    static SsmClient ssm;
    static EchoServer echo;

    @BeforeAll
    static void start() throws Exception {
        local = LocalSessionManager.startDefault();
        ssm = SsmApiTest.sdk(local);
        echo = new EchoServer(null);
    }

    @AfterAll
    static void stop() throws Exception {
        echo.close();
        ssm.close();
        local.close();
    }

    private static ProtocolClient handshake(StartSessionResponse r, String clientVersion, Map<String, String> expectedProps) throws Exception {
        ProtocolClient c = ProtocolClient.open(r.streamUrl(), r.tokenValue());
        JsonNode req = Sessions.json(c.nextData());
        JsonNode params = req.path("RequestedClientActions").get(0).path("ActionParameters");
        assertThat(params.path("SessionType").asText()).isEqualTo("Port");
        expectedProps.forEach((k, v) -> assertThat(params.path("Properties").path(k).asText()).as(k).isEqualTo(v));
        Sessions.answerSessionType(c, clientVersion, req);
        assertThat(c.nextData().payloadType()).isEqualTo(PayloadType.HANDSHAKE_COMPLETE.wire());
        return c;
    }

    /** smux v1 frame, little-endian length and stream id, built by hand (SPEC §10.1). */
    static byte[] smux(int cmd, int sid, String data) {
        byte[] d = data.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(8 + d.length).order(ByteOrder.LITTLE_ENDIAN)
                .put((byte) 1).put((byte) cmd).putShort((short) d.length).putInt(sid).put(d).array();
    }

    @Test
    void oldClientVersionGetsBasicModeWithReconnectAfterDisconnectToPort() throws Exception {
        StartSessionResponse r = Sessions.start(ssm, local.defaultTarget(), "AWS-StartPortForwardingSession",
                Map.of("portNumber", Integer.toString(echo.port()), "localPortNumber", "0"));
        // ClientVersion below 1.1.70: the agent must not speak smux (SPEC §8.6).
        try (ProtocolClient c = handshake(r, "1.1.54.0", Map.of("portNumber", Integer.toString(echo.port()),
                "type", "LocalPortForwarding", "localPortNumber", "0"))) {
            c.sendText("ping-1\n");
            assertThat(c.readUntil(PayloadType.OUTPUT, s -> s.contains("ping-1\n"))).isEqualTo("ping-1\n");
            int before = echo.accepted.get();
            c.send(PayloadType.FLAG, new byte[] {0, 0, 0, 1}); // DisconnectToPort
            c.sendText("ping-2\n");
            assertThat(c.readUntil(PayloadType.OUTPUT, s -> s.contains("ping-2\n"))).isEqualTo("ping-2\n");
            assertThat(echo.accepted.get() - before).as("a fresh destination connection after DisconnectToPort").isEqualTo(1);
            c.send(PayloadType.FLAG, new byte[] {0, 0, 0, 2}); // TerminateSession
            assertThat(c.nextControl().messageType()).isEqualTo(MessageType.CHANNEL_CLOSED.wire());
        }
    }

    @Test
    void newClientVersionGetsAnSmuxServerWithStreamsAndFin() throws Exception {
        StartSessionResponse r = Sessions.start(ssm, local.defaultTarget(), "AWS-StartPortForwardingSession",
                Map.of("portNumber", Integer.toString(echo.port())));
        try (ProtocolClient c = handshake(r, "1.2.677.0", Map.of("type", "LocalPortForwarding"))) {
            c.send(PayloadType.OUTPUT, concat(smux(0, 3, ""), smux(2, 3, "hello-3\n")));
            c.send(PayloadType.OUTPUT, smux(0, 5, ""));
            // A frame split across two messages: boundaries carry no meaning (SPEC §8.4).
            byte[] psh5 = smux(2, 5, "hello-5\n");
            c.send(PayloadType.OUTPUT, java.util.Arrays.copyOfRange(psh5, 0, 5));
            c.send(PayloadType.OUTPUT, java.util.Arrays.copyOfRange(psh5, 5, psh5.length));

            SmuxReader in = new SmuxReader();
            in.readUntil(c, () -> in.data(3).equals("hello-3\n") && in.data(5).equals("hello-5\n"));
            c.send(PayloadType.OUTPUT, smux(1, 3, ""));
            in.readUntil(c, () -> in.finned(3));
            assertThat(in.finned(5)).isFalse();
            c.send(PayloadType.OUTPUT, smux(2, 5, "more\n"));
            in.readUntil(c, () -> in.data(5).equals("hello-5\nmore\n"));
            assertThat(in.nops).as("keepalive off for ClientVersion > 1.2.331.0").isZero();
        }
    }

    @Test
    void refusedDestinationSendsConnectToPortErrorAndFin() throws Exception {
        StartSessionResponse r = Sessions.start(ssm, local.defaultTarget(), "AWS-StartPortForwardingSessionToRemoteHost",
                Map.of("portNumber", Integer.toString(EchoServer.closedPort()), "host", "127.0.0.1"));
        try (ProtocolClient c = handshake(r, "1.2.677.0", Map.of("host", "127.0.0.1", "type", "LocalPortForwarding"))) {
            c.send(PayloadType.OUTPUT, smux(0, 3, ""));
            ClientMessage flag = c.nextData();
            assertThat(flag.payloadType()).isEqualTo(PayloadType.FLAG.wire());
            assertThat(HexFormat.of().formatHex(flag.payload())).isEqualTo("00000003");
            ClientMessage fin = c.nextData();
            assertThat(HexFormat.of().formatHex(fin.payload())).isEqualTo("0101000003000000");
        }
    }

    @Test
    void remoteHostIsDialledInsteadOfLocalhost() throws Exception {
        StartSessionResponse r = Sessions.start(ssm, local.defaultTarget(), "AWS-StartPortForwardingSessionToRemoteHost",
                Map.of("portNumber", Integer.toString(echo.port()), "host", "127.0.0.1"));
        try (ProtocolClient c = handshake(r, "1.2.677.0", Map.of("host", "127.0.0.1"))) {
            c.send(PayloadType.OUTPUT, concat(smux(0, 3, ""), smux(2, 3, "remote\n")));
            SmuxReader in = new SmuxReader();
            in.readUntil(c, () -> in.data(3).equals("remote\n"));
        }
    }

    @Test
    void sshDocumentIsAStdioSessionThatEndsWithTheDestination() throws Exception {
        try (EchoServer sshd = new EchoServer("SSH-2.0-testkit\r\n")) {
            StartSessionResponse r = Sessions.start(ssm, local.defaultTarget(), "AWS-StartSSHSession",
                    Map.of("portNumber", Integer.toString(sshd.port())));
            try (ProtocolClient c = handshake(r, "1.2.677.0", Map.of("portNumber", Integer.toString(sshd.port())))) {
                assertThat(c.readUntil(PayloadType.OUTPUT, s -> s.contains("\r\n"))).isEqualTo("SSH-2.0-testkit\r\n");
                c.sendText("bye\n");
                c.readUntil(PayloadType.OUTPUT, s -> s.contains("bye\n"));
                assertThat(c.nextControl().messageType()).isEqualTo(MessageType.CHANNEL_CLOSED.wire());
            }
        }
    }

    @Test
    void oldAgentVersionNeverSpeaksSmux() throws Exception {
        try (LocalSessionManager old = LocalSessionManager.builder().agentVersion("3.0.196.0").build().start();
             SsmClient oldSsm = SsmApiTest.sdk(old)) {
            StartSessionResponse r = Sessions.start(oldSsm, old.defaultTarget(), "AWS-StartPortForwardingSession",
                    Map.of("portNumber", Integer.toString(echo.port())));
            try (ProtocolClient c = handshake(r, "1.2.677.0", Map.of())) {
                c.sendText("raw bytes\n");
                assertThat(c.readUntil(PayloadType.OUTPUT, s -> s.contains("\n"))).isEqualTo("raw bytes\n");
            }
        }
    }

    static byte[] concat(byte[] a, byte[] b) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(a);
        out.writeBytes(b);
        return out.toByteArray();
    }

    /** Parses the agent's smux byte stream by hand. */
    static final class SmuxReader {
        private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
        private final Map<Integer, StringBuilder> data = new java.util.HashMap<>();
        private final java.util.Set<Integer> fins = new java.util.HashSet<>();
        int nops;

        String data(int sid) {
            return data.getOrDefault(sid, new StringBuilder()).toString();
        }

        boolean finned(int sid) {
            return fins.contains(sid);
        }

        void readUntil(ProtocolClient c, java.util.function.BooleanSupplier done) throws InterruptedException {
            while (!done.getAsBoolean()) {
                ClientMessage m = c.nextData();
                assertThat(m.payloadType()).isEqualTo(PayloadType.OUTPUT.wire());
                pending.writeBytes(m.payload());
                ByteBuffer b = ByteBuffer.wrap(pending.toByteArray()).order(ByteOrder.LITTLE_ENDIAN);
                while (b.remaining() >= 8) {
                    b.mark();
                    assertThat(b.get()).as("smux version").isEqualTo((byte) 1);
                    int cmd = b.get();
                    int len = Short.toUnsignedInt(b.getShort());
                    int sid = b.getInt();
                    int body = cmd == 2 ? len : 0;
                    if (b.remaining() < body) {
                        b.reset();
                        break;
                    }
                    byte[] d = new byte[body];
                    b.get(d);
                    switch (cmd) {
                        case 1 -> fins.add(sid);
                        case 2 -> data.computeIfAbsent(sid, k -> new StringBuilder()).append(new String(d, StandardCharsets.UTF_8));
                        case 3 -> nops++;
                        default -> throw new AssertionError("unexpected smux cmd " + cmd);
                    }
                }
                byte[] rest = new byte[b.remaining()];
                b.get(rest);
                pending.reset();
                pending.writeBytes(rest);
            }
        }
    }
}
