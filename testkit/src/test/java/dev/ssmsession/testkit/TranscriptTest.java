package dev.ssmsession.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ssmsession.protocol.message.ClientMessage;
import dev.ssmsession.protocol.message.ClientMessageCodec;
import dev.ssmsession.protocol.message.MessageType;
import dev.ssmsession.protocol.message.PayloadType;
import dev.ssmsession.protocol.payload.Acknowledge;
import dev.ssmsession.protocol.payload.Payloads;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.StartSessionResponse;

/** Recorded transcripts: their protocol invariants, recording, and replay against a scripted agent. */
class TranscriptTest {
    static final ClientMessageCodec CODEC = ClientMessageCodec.create();

    static Transcript fixture(String name) {
        return Transcript.fromResource("/dev/ssmsession/testkit/transcripts/" + name);
    }

    static List<ClientMessage> decoded(Transcript t, Transcript.Direction d) {
        List<ClientMessage> out = new ArrayList<>();
        for (Transcript.Frame f : t.frames()) {
            if (f.direction() == d) {
                out.add(CODEC.decode(f.bytes())); // digests, header lengths and dates must all be valid
            }
        }
        return out;
    }

    @ParameterizedTest
    @ValueSource(strings = {"shell.jsonl", "kms-shell.jsonl", "smux-forward.jsonl", "command-exit-code.jsonl"})
    void fixturesObeyTheSequencingAndAckRules(String name) throws Exception {
        Transcript t = fixture(name);
        List<ClientMessage> agent = decoded(t, Transcript.Direction.AGENT_TO_CLIENT);
        List<ClientMessage> client = decoded(t, Transcript.Direction.CLIENT_TO_AGENT);

        List<Long> agentSeqs = agent.stream().filter(m -> m.is(MessageType.OUTPUT_STREAM_DATA)).map(ClientMessage::sequenceNumber).distinct().toList();
        List<Long> clientSeqs = client.stream().filter(m -> m.is(MessageType.INPUT_STREAM_DATA)).map(ClientMessage::sequenceNumber).distinct().toList();
        for (int i = 0; i < agentSeqs.size(); i++) {
            assertThat(agentSeqs.get(i)).as("agent data numbered 0, 1, 2, ...").isEqualTo(i);
        }
        for (int i = 0; i < clientSeqs.size(); i++) {
            assertThat(clientSeqs.get(i)).as("client data numbered 0, 1, 2, ...").isEqualTo(i);
        }
        ClientMessage first = agent.stream().filter(m -> m.is(MessageType.OUTPUT_STREAM_DATA)).findFirst().orElseThrow();
        assertThat(first.flags()).as("agent's first data message is SYN").isEqualTo(ClientMessage.FLAG_SYN);
        assertThat(agent.get(agent.size() - 1).messageType()).isEqualTo(MessageType.CHANNEL_CLOSED.wire());

        assertThat(acked(agent)).as("the agent acked every client data message").containsAll(clientSeqs);
        assertThat(acked(client)).as("the client acked every agent data message").containsAll(agentSeqs);
        for (ClientMessage ack : agent) {
            if (ack.is(MessageType.ACKNOWLEDGE)) {
                assertThat(ack.flags()).isEqualTo(3);
                assertThat(ack.sequenceNumber()).isZero();
            }
        }
        boolean handshake = first.payloadType() == PayloadType.HANDSHAKE_REQUEST.wire();
        assertThat(handshake).as("only a plain shell skips the handshake").isEqualTo(!name.equals("shell.jsonl"));
        if (t.header().encrypted()) {
            // Encrypted output never shows the shell's text.
            for (ClientMessage m : agent) {
                if (m.payloadType() == PayloadType.OUTPUT.wire()) {
                    assertThat(new String(m.payload(), StandardCharsets.ISO_8859_1)).doesNotContain("secret-42");
                }
            }
        }
    }

    private static Set<Long> acked(List<ClientMessage> messages) {
        Set<Long> out = new HashSet<>();
        for (ClientMessage m : messages) {
            if (m.is(MessageType.ACKNOWLEDGE)) {
                out.add(Payloads.fromJson(m.payload(), Acknowledge.class).acknowledgedMessageSequenceNumber());
            }
        }
        return out;
    }

    /**
     * Plays the recorded client against the scripted agent: sends the client's recorded data payloads
     * as fresh messages once the agent output recorded before each has arrived, and returns the agent
     * payloads it received.
     */
    static List<String> replayClientSide(Transcript t, LocalSessionManager local, ProtocolClient c) throws Exception {
        List<ClientMessage> recordedAgentData = new ArrayList<>();
        Set<Long> seen = new HashSet<>();
        List<String> got = new ArrayList<>();
        long agentDataBefore = 0;
        Set<Long> sentClient = new HashSet<>();
        for (Transcript.Frame f : t.frames()) {
            ClientMessage m = CODEC.decode(f.bytes());
            if (f.direction() == Transcript.Direction.AGENT_TO_CLIENT && m.is(MessageType.OUTPUT_STREAM_DATA) && seen.add(m.sequenceNumber())) {
                recordedAgentData.add(m);
                agentDataBefore++;
            } else if (f.direction() == Transcript.Direction.CLIENT_TO_AGENT && m.is(MessageType.INPUT_STREAM_DATA) && sentClient.add(m.sequenceNumber())) {
                while (got.size() < agentDataBefore) {
                    got.add(hexOrText(c.nextData()));
                }
                c.send(PayloadType.fromWire(m.payloadType()).orElseThrow(), m.payload());
            }
        }
        while (got.size() < recordedAgentData.size()) {
            got.add(hexOrText(c.nextData()));
        }
        List<String> want = recordedAgentData.stream().map(TranscriptTest::hexOrText).toList();
        assertThat(got).isEqualTo(want);
        return got;
    }

    private static String hexOrText(ClientMessage m) {
        return m.payloadType() + ":" + java.util.HexFormat.of().formatHex(m.payload());
    }

    @ParameterizedTest
    @ValueSource(strings = {"shell.jsonl", "smux-forward.jsonl", "command-exit-code.jsonl"})
    void aClientThatBehavesLikeTheRecordingMatchesTheReplay(String name) throws Exception {
        Transcript t = fixture(name);
        try (LocalSessionManager local = LocalSessionManager.builder().replay(t).build().start();
             SsmClient ssm = SsmApiTest.sdk(local)) {
            StartSessionResponse r = Sessions.start(ssm, local.defaultTarget(), t.header().documentName(), t.header().parameters());
            try (ProtocolClient c = ProtocolClient.open(r.streamUrl(), r.tokenValue())) {
                replayClientSide(t, local, c);
                assertThat(c.nextControl().messageType()).isEqualTo(MessageType.CHANNEL_CLOSED.wire());
            }
            ReplayResult result = local.replayResult(r.sessionId());
            assertThat(result.mismatches()).isEmpty();
            assertThat(result.complete()).isTrue();
        }
    }

    @Test
    void aClientThatSendsSomethingElseIsToldWhere() throws Exception {
        Transcript t = fixture("command-exit-code.jsonl");
        try (LocalSessionManager local = LocalSessionManager.builder().replay(t).build().start();
             SsmClient ssm = SsmApiTest.sdk(local)) {
            StartSessionResponse r = Sessions.start(ssm, local.defaultTarget(), t.header().documentName(), t.header().parameters());
            try (ProtocolClient c = ProtocolClient.open(r.streamUrl(), r.tokenValue())) {
                assertThat(c.nextData().payloadType()).isEqualTo(PayloadType.HANDSHAKE_REQUEST.wire());
                c.send(PayloadType.HANDSHAKE_RESPONSE, ("{\"ClientVersion\":\"9.9.9.9\",\"ProcessedClientActions\":[{\"ActionType\":"
                        + "\"SessionType\",\"ActionStatus\":2,\"ActionResult\":null,\"Error\":\"no\"}],\"Errors\":[\"no\"]}").getBytes(StandardCharsets.UTF_8));
                ClientMessage closed = c.nextControl();
                assertThat(Sessions.json(closed).path("Output").asText()).startsWith("transcript mismatch: input seq 0 handshake response");
            }
            ReplayResult result = local.replayResult(r.sessionId());
            assertThat(result.matched()).isFalse();
            assertThat(result.mismatches()).hasSize(1);
        }
    }

    @Test
    void recordingWritesBothDirectionsAndNeverTheToken(@TempDir Path dir) throws Exception {
        try (LocalSessionManager local = LocalSessionManager.builder().transcriptDirectory(dir).build().start();
             SsmClient ssm = SsmApiTest.sdk(local)) {
            StartSessionResponse r = Sessions.start(ssm, local.defaultTarget(), "AWS-StartNonInteractiveCommand", Map.of("command", "echo hi"));
            try (ProtocolClient c = ProtocolClient.open(r.streamUrl(), r.tokenValue())) {
                Sessions.answerSessionType(c, "1.2.677.0", Sessions.json(c.nextData()));
                while (c.nextData().payloadType() != PayloadType.EXIT_CODE.wire()) {
                    // drain
                }
                c.nextControl();
            }
            Path file = dir.resolve(r.sessionId() + ".jsonl");
            String text = Files.readString(file);
            assertThat(text).doesNotContain(r.tokenValue());
            Transcript t = Transcript.read(file);
            assertThat(t.header().documentName()).isEqualTo("AWS-StartNonInteractiveCommand");
            assertThat(t.header().parameters()).containsEntry("command", "echo hi");
            assertThat(t.frames()).extracting(Transcript.Frame::direction)
                    .contains(Transcript.Direction.CLIENT_TO_AGENT, Transcript.Direction.AGENT_TO_CLIENT);
            assertThat(decoded(t, Transcript.Direction.AGENT_TO_CLIENT)).extracting(ClientMessage::payloadType)
                    .contains((long) PayloadType.EXIT_CODE.wire());
            List<Long> times = t.frames().stream().map(Transcript.Frame::atMillis).toList();
            assertThat(times).isSorted();
        }
    }

    @Test
    void aBrokenTranscriptLineIsNamed() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Transcript.parse(List.of(
                        "{\"kind\":\"session\",\"document\":\"SSM-SessionManagerRunShell\",\"target\":\"i-1\",\"parameters\":{}}",
                        "{\"kind\":\"frame\",\"t\":0,\"dir\":\"sideways\",\"hex\":\"00\"}"), "x.jsonl"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("x.jsonl:2").hasMessageContaining("sideways");
    }
}
