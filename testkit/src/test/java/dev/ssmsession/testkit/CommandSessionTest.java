package dev.ssmsession.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ssmsession.protocol.message.ClientMessage;
import dev.ssmsession.protocol.message.MessageType;
import dev.ssmsession.protocol.message.PayloadType;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.StartSessionResponse;

/** NonInteractiveCommands: handshake, stdout and stderr apart, EXIT_CODE, UTF-8-safe chunks. */
class CommandSessionTest {
    static LocalSessionManager local;
    static SsmClient ssm;

    @BeforeAll
    static void start() {
        local = LocalSessionManager.builder().agentVersion("3.3.1000.0").build().start();
        ssm = SsmApiTest.sdk(local);
    }

    @AfterAll
    static void stop() {
        ssm.close();
        local.close();
    }

    @Test
    void handshakeThenSeparateStreamsThenExitCodeThenChannelClosed() throws Exception {
        StartSessionResponse r = Sessions.start(ssm, local.defaultTarget(), "AWS-StartNonInteractiveCommand",
                Map.of("command", "echo out-line; echo err-line 1>&2; exit 3"));
        try (ProtocolClient c = ProtocolClient.open(r.streamUrl(), r.tokenValue())) {
            ClientMessage hs = c.nextData();
            assertThat(hs.sequenceNumber()).isZero();
            assertThat(hs.payloadType()).isEqualTo(PayloadType.HANDSHAKE_REQUEST.wire());
            JsonNode req = Sessions.json(hs);
            assertThat(req.path("AgentVersion").asText()).isEqualTo("3.3.1000.0");
            JsonNode action = req.path("RequestedClientActions").get(0);
            assertThat(action.path("ActionType").asText()).isEqualTo("SessionType");
            assertThat(action.path("ActionParameters").path("SessionType").asText()).isEqualTo("NonInteractiveCommands");
            assertThat(action.path("ActionParameters").path("Properties").isNull()).isTrue();
            assertThat(req.path("RequestedClientActions")).hasSize(1);

            Sessions.answerSessionType(c, "1.2.677.0", req);
            ClientMessage complete = c.nextData();
            assertThat(complete.payloadType()).isEqualTo(PayloadType.HANDSHAKE_COMPLETE.wire());
            assertThat(Sessions.json(complete).path("CustomerMessage").asText()).isEmpty();

            StringBuilder out = new StringBuilder();
            StringBuilder err = new StringBuilder();
            String exit = null;
            while (exit == null) {
                ClientMessage m = c.nextData();
                String text = new String(m.payload(), StandardCharsets.UTF_8);
                if (m.payloadType() == PayloadType.OUTPUT.wire()) {
                    out.append(text);
                } else if (m.payloadType() == PayloadType.STDERR.wire()) {
                    err.append(text);
                } else if (m.payloadType() == PayloadType.EXIT_CODE.wire()) {
                    exit = text;
                }
            }
            assertThat(out.toString()).isEqualTo("out-line\n");
            assertThat(err.toString()).isEqualTo("err-line\n");
            assertThat(exit).isEqualTo("EXIT_CODE: 3");
            ClientMessage closed = c.nextControl();
            assertThat(closed.messageType()).isEqualTo(MessageType.CHANNEL_CLOSED.wire());
            assertThat(c.data).isEmpty();
        }
        assertThat(local.session(r.sessionId()).orElseThrow().clientVersion()).isEqualTo("1.2.677.0");
    }

    @Test
    void largeMultiByteOutputComesIn1024ByteChunksCutAtCharacterBoundaries() throws Exception {
        // 3000 three-byte characters: a naive 1024-byte cut would split one.
        StartSessionResponse r = Sessions.start(ssm, local.defaultTarget(), "AWS-StartNonInteractiveCommand",
                Map.of("command", "i=0; while [ $i -lt 3000 ]; do printf '\\342\\202\\254'; i=$((i+1)); done"));
        try (ProtocolClient c = ProtocolClient.open(r.streamUrl(), r.tokenValue())) {
            Sessions.answerSessionType(c, "1.2.677.0", Sessions.json(c.nextData()));
            c.nextData();
            List<byte[]> chunks = new ArrayList<>();
            while (true) {
                ClientMessage m = c.nextData();
                if (m.payloadType() == PayloadType.EXIT_CODE.wire()) {
                    assertThat(new String(m.payload(), StandardCharsets.UTF_8)).isEqualTo("EXIT_CODE: 0");
                    break;
                }
                chunks.add(m.payload());
            }
            int total = 0;
            for (byte[] chunk : chunks) {
                assertThat(chunk.length).isLessThanOrEqualTo(1024);
                assertThat(chunk.length % 3).as("chunk ends on a character boundary").isZero();
                assertThat(new String(chunk, StandardCharsets.UTF_8)).matches("€+");
                total += chunk.length;
            }
            assertThat(total).isEqualTo(9000);
        }
    }

    @Test
    void ctrlCInterruptsTheCommand() throws Exception {
        StartSessionResponse r = Sessions.start(ssm, local.defaultTarget(), "AWS-StartNonInteractiveCommand",
                Map.of("command", "trap 'echo interrupted; exit 130' INT; echo ready; while :; do sleep 0.05; done"));
        try (ProtocolClient c = ProtocolClient.open(r.streamUrl(), r.tokenValue())) {
            Sessions.answerSessionType(c, "1.2.677.0", Sessions.json(c.nextData()));
            c.nextData();
            c.readUntil(PayloadType.OUTPUT, s -> s.contains("ready"));
            c.send(PayloadType.OUTPUT, new byte[] {0x03});
            c.readUntil(PayloadType.OUTPUT, s -> s.contains("interrupted"));
            assertThat(new String(c.nextData().payload(), StandardCharsets.UTF_8)).isEqualTo("EXIT_CODE: 130");
        }
    }

    @Test
    void aFailedHandshakeActionEndsTheSessionWithTheReason() throws Exception {
        StartSessionResponse r = Sessions.start(ssm, local.defaultTarget(), "AWS-StartNonInteractiveCommand",
                Map.of("command", "echo never"));
        try (ProtocolClient c = ProtocolClient.open(r.streamUrl(), r.tokenValue())) {
            c.nextData();
            c.send(PayloadType.HANDSHAKE_RESPONSE, ("{\"ClientVersion\":\"1.2.677.0\",\"ProcessedClientActions\":[{\"ActionType\":"
                    + "\"SessionType\",\"ActionStatus\":3,\"ActionResult\":null,\"Error\":\"Unsupported action SessionType\"}],"
                    + "\"Errors\":[\"Unsupported action SessionType\"]}").getBytes(StandardCharsets.UTF_8));
            ClientMessage closed = c.nextControl();
            assertThat(closed.messageType()).isEqualTo(MessageType.CHANNEL_CLOSED.wire());
            assertThat(Sessions.json(closed).path("Output").asText()).contains("SessionType has status 3");
        }
    }

    @Test
    void aClientThatNeverAnswersTheHandshakeIsTimedOutByTheAgent() throws Exception {
        try (LocalSessionManager quick = LocalSessionManager.builder().handshakeTimeout(java.time.Duration.ofMillis(200)).build().start();
             SsmClient quickSsm = SsmApiTest.sdk(quick)) {
            StartSessionResponse r = Sessions.start(quickSsm, quick.defaultTarget(), "AWS-StartNonInteractiveCommand", Map.of("command", "true"));
            try (ProtocolClient c = ProtocolClient.open(r.streamUrl(), r.tokenValue())) {
                assertThat(c.nextData().payloadType()).isEqualTo(PayloadType.HANDSHAKE_REQUEST.wire());
                ClientMessage closed = c.nextControl();
                assertThat(Sessions.json(closed).path("Output").asText()).startsWith("Handshake timed out.");
            }
        }
    }

    @Test
    void oldClientsOfSeparatedOutputAreToldToUpdate() throws Exception {
        StartSessionResponse r = Sessions.start(ssm, local.defaultTarget(), "AWS-StartNonInteractiveCommand", Map.of("command", "true"));
        try (ProtocolClient c = ProtocolClient.open(r.streamUrl(), r.tokenValue())) {
            Sessions.answerSessionType(c, "1.2.295.0", Sessions.json(c.nextData()));
            assertThat(Sessions.json(c.nextData()).path("CustomerMessage").asText())
                    .isEqualTo("Please update session manager plugin version (minimum required version 1.2.312.0) "
                            + "for fully support of separate StdOut/StdErr output.\r\n");
        }
    }

    @Test
    void theCommandStartsWithNoBlockedOrIgnoredSignals() throws Exception {
        StartSessionResponse r = Sessions.start(ssm, local.defaultTarget(), "AWS-StartNonInteractiveCommand",
                Map.of("command", ShellSessionTest.SHELL_SIGNALS + "; sed -n 's/^Sig\\(Blk\\|Ign\\):\\t/child-\\1-/p' /proc/self/status"));
        try (ProtocolClient c = ProtocolClient.open(r.streamUrl(), r.tokenValue())) {
            Sessions.answerSessionType(c, "1.2.677.0", Sessions.json(c.nextData()));
            c.nextData();
            assertThat(c.readUntil(PayloadType.OUTPUT, s -> s.matches("(?s).*child-Ign-\\p{XDigit}{16}.*")))
                    .contains("shell-SigBlk:" + ShellSessionTest.NONE, "shell-SigIgn:" + ShellSessionTest.NONE,
                            "child-Blk-" + ShellSessionTest.NONE, "child-Ign-" + ShellSessionTest.NONE);
        }
    }

    @Test
    void theCommandLeadsItsOwnProcessGroup() throws Exception {
        StartSessionResponse r = Sessions.start(ssm, local.defaultTarget(), "AWS-StartNonInteractiveCommand",
                Map.of("command", "read -r pid comm state ppid pgid rest < /proc/$$/stat; echo \"pid-$pid-pgid-$pgid-\""));
        try (ProtocolClient c = ProtocolClient.open(r.streamUrl(), r.tokenValue())) {
            Sessions.answerSessionType(c, "1.2.677.0", Sessions.json(c.nextData()));
            c.nextData();
            String out = c.readUntil(PayloadType.OUTPUT, s -> s.matches("(?s).*pgid-\\d+-.*"));
            assertThat(out.replaceAll("(?s).*pid-(\\d+)-pgid-(\\d+)-.*", "$2")).as("process group")
                    .isEqualTo(out.replaceAll("(?s).*pid-(\\d+)-pgid-(\\d+)-.*", "$1"));
        }
    }

    @Test
    void ctrlCInterruptsTheWholeCommandNotOnlyItsShell() throws Exception {
        assertThat(interruptedSleepExit((byte) 0x03)).isEqualTo("EXIT_CODE: 130");
    }

    @Test
    void ctrlBackslashQuitsTheWholeCommandNotOnlyItsShell() throws Exception {
        assertThat(interruptedSleepExit((byte) 0x1C)).isEqualTo("EXIT_CODE: 131");
    }

    /**
     * Runs {@code sleep 30} under sh and sends {@code key} once sh has said so; whether sleep has
     * started yet or not, the signal goes to the group, so sh dies of it. Returns the ExitCode text.
     */
    private static String interruptedSleepExit(byte key) throws Exception {
        StartSessionResponse r = Sessions.start(ssm, local.defaultTarget(), "AWS-StartNonInteractiveCommand",
                Map.of("command", "echo ready; sleep 30; echo not-interrupted"));
        try (ProtocolClient c = ProtocolClient.open(r.streamUrl(), r.tokenValue())) {
            Sessions.answerSessionType(c, "1.2.677.0", Sessions.json(c.nextData()));
            c.nextData();
            c.readUntil(PayloadType.OUTPUT, s -> s.contains("ready"));
            c.send(PayloadType.OUTPUT, new byte[] {key});
            // The exit code waits for the output pipes: a sleep left running holds them 30 s.
            return c.readUntil(PayloadType.EXIT_CODE, s -> s.startsWith("EXIT_CODE: "), ShellSessionTest.PROMPTLY);
        }
    }
}
