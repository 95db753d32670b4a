package dev.ssmsession.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ssmsession.protocol.message.ClientMessage;
import dev.ssmsession.protocol.message.MessageType;
import dev.ssmsession.protocol.message.PayloadType;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.StartSessionResponse;

/** Service-side behaviour: channel_closed reasons, publication control, idle timeout, rate cap, faults. */
class ServiceBehaviourTest {
    private static StartSessionResponse command(SsmClient ssm, LocalSessionManager local, String cmd) {
        return Sessions.start(ssm, local.defaultTarget(), "AWS-StartNonInteractiveCommand", Map.of("command", cmd));
    }

    private static StartSessionResponse echo(SsmClient ssm, LocalSessionManager local) {
        return Sessions.start(ssm, local.defaultTarget(), "AWS-StartInteractiveCommand",
                Map.of("command", "while read x; do echo \"got-$x\"; done"));
    }

    @Test
    void closeChannelSendsTheReasonAsOutput() throws Exception {
        try (LocalSessionManager local = LocalSessionManager.startDefault(); SsmClient ssm = SsmApiTest.sdk(local)) {
            StartSessionResponse r = echo(ssm, local);
            try (ProtocolClient c = ProtocolClient.open(r.streamUrl(), r.tokenValue())) {
                c.sendText("x\r");
                c.readUntil(PayloadType.OUTPUT, s -> s.contains("got-x"));
                local.closeChannel(r.sessionId(), "maintenance window");
                ClientMessage closed = c.nextControl();
                assertThat(closed.messageType()).isEqualTo(MessageType.CHANNEL_CLOSED.wire());
                assertThat(Sessions.json(closed).path("Output").asText()).isEqualTo("maintenance window");
                assertThat(c.awaitClose().code()).isEqualTo(1000);
            }
            assertThat(local.session(r.sessionId()).orElseThrow().closeReason()).isEqualTo("maintenance window");
        }
    }

    @Test
    void pauseAndStartPublicationReachTheClient() throws Exception {
        try (LocalSessionManager local = LocalSessionManager.startDefault(); SsmClient ssm = SsmApiTest.sdk(local)) {
            StartSessionResponse r = echo(ssm, local);
            try (ProtocolClient c = ProtocolClient.open(r.streamUrl(), r.tokenValue())) {
                c.sendText("x\r");
                c.readUntil(PayloadType.OUTPUT, s -> s.contains("got-x"));
                local.pausePublication(r.sessionId());
                assertThat(c.nextControl().messageType()).isEqualTo("pause_publication");
                local.startPublication(r.sessionId());
                assertThat(c.nextControl().messageType()).isEqualTo("start_publication");
            }
        }
    }

    @Test
    void idleSessionsAreClosedWithTheInactivityReason() throws Exception {
        try (LocalSessionManager local = LocalSessionManager.builder().idleTimeout(Duration.ofMillis(300)).build().start();
             SsmClient ssm = SsmApiTest.sdk(local)) {
            StartSessionResponse r = echo(ssm, local);
            try (ProtocolClient c = ProtocolClient.open(r.streamUrl(), r.tokenValue())) {
                ClientMessage closed = c.nextControl();
                assertThat(Sessions.json(closed).path("Output").asText()).contains("timed out due to inactivity");
            }
        }
    }

    @Test
    void theRateCapSpreadsAgentOutputOverTime() throws Exception {
        try (LocalSessionManager local = LocalSessionManager.builder().rateLimit(200).build().start();
             SsmClient ssm = SsmApiTest.sdk(local)) {
            // 100 KiB of ASCII: the agent reads it in 1024-byte chunks, so at least 100 Output messages.
            StartSessionResponse r = command(ssm, local, "head -c 102400 /dev/zero | tr '\\0' a");
            try (ProtocolClient c = ProtocolClient.open(r.streamUrl(), r.tokenValue())) {
                Sessions.answerSessionType(c, "1.2.677.0", Sessions.json(c.nextData()));
                c.nextData();
                int bytes = 0;
                int messages = 0;
                ClientMessage m;
                while ((m = c.nextData()).payloadType() != PayloadType.EXIT_CODE.wire()) {
                    bytes += m.payload().length;
                    messages++;
                }
                assertThat(bytes).isEqualTo(102400);
                assertThat(messages).isGreaterThanOrEqualTo(100);
                // A lower bound on elapsed time cannot be flaky: N messages at 200/s after a burst of
                // 10 need at least (N - 10) / 200 seconds, however fast the machine.
                long spanNanos = c.arrivals.get(c.arrivals.size() - 1) - c.arrivals.get(0);
                assertThat(Duration.ofNanos(spanNanos)).isGreaterThanOrEqualTo(Duration.ofMillis((messages - 10) * 5L - 20));
            }
        }
    }

    @Test
    void droppedDuplicatedReorderedAndCorruptedOutputStillArrivesCompleteAndInOrder() throws Exception {
        FaultPlan plan = FaultPlan.builder().drop(0.15).duplicate(0.1).reorder(0.1).corruptDigest(0.05)
                .directions(FaultPlan.Directions.AGENT_TO_CLIENT).build();
        try (LocalSessionManager local = LocalSessionManager.builder().faults(plan).seed(42).build().start();
             SsmClient ssm = SsmApiTest.sdk(local)) {
            StartSessionResponse r = command(ssm, local, "i=0; while [ $i -lt 300 ]; do echo line-$i; i=$((i+1)); done; exit 7");
            try (ProtocolClient c = ProtocolClient.open(r.streamUrl(), r.tokenValue())) {
                ClientMessage hs = c.nextData();
                Sessions.answerSessionType(c, "1.2.677.0", Sessions.json(hs));
                StringBuilder out = new StringBuilder();
                String exit = null;
                while (exit == null) {
                    ClientMessage m = c.nextData();
                    if (m.payloadType() == PayloadType.OUTPUT.wire()) {
                        out.append(new String(m.payload(), StandardCharsets.UTF_8));
                    } else if (m.payloadType() == PayloadType.EXIT_CODE.wire()) {
                        exit = new String(m.payload(), StandardCharsets.UTF_8);
                    }
                }
                StringBuilder expected = new StringBuilder();
                for (int i = 0; i < 300; i++) {
                    expected.append("line-").append(i).append('\n');
                }
                assertThat(out.toString()).isEqualTo(expected.toString());
                assertThat(exit).isEqualTo("EXIT_CODE: 7");
                assertThat(c.invalidFrames.get()).as("corrupted digests reached the client and were dropped").isPositive();
                assertThat(c.nextControl().messageType()).isEqualTo(MessageType.CHANNEL_CLOSED.wire());
            }
        }
    }

    @Test
    void cutAfterFramesDropsTheConnectionAbruptly() throws Exception {
        FaultPlan plan = FaultPlan.builder().cutAfterFrames(5).build();
        try (LocalSessionManager local = LocalSessionManager.builder().faults(plan).build().start();
             SsmClient ssm = SsmApiTest.sdk(local)) {
            StartSessionResponse r = echo(ssm, local);
            try (ProtocolClient c = ProtocolClient.open(r.streamUrl(), r.tokenValue())) {
                for (int i = 0; i < 5; i++) {
                    c.sendText("n" + i + "\r");
                }
                ProtocolClient.Closed closed = c.awaitClose();
                assertThat(closed.code()).isEqualTo(1006);
            }
            assertThat(local.session(r.sessionId()).orElseThrow().status()).isEqualTo("DISCONNECTED");
        }
    }

    @Test
    void outputSurvivesRepeatedCutsThroughResumeSessionAndTheAgentsRetransmission() throws Exception {
        FaultPlan plan = FaultPlan.builder().cutAfterFrames(25).build();
        try (LocalSessionManager local = LocalSessionManager.builder().faults(plan).build().start();
             SsmClient ssm = SsmApiTest.sdk(local)) {
            StartSessionResponse r = command(ssm, local, "i=0; while [ $i -lt 60 ]; do echo line-$i; i=$((i+1)); sleep 0.005; done; exit 4");
            StringBuilder out = new StringBuilder();
            String exit = null;
            String token = r.tokenValue();
            ProtocolClient previous = null;
            int connections = 0;
            while (exit == null) {
                connections++;
                assertThat(connections).as("reconnects needed").isLessThan(60);
                ProtocolClient c = ProtocolClient.open(r.streamUrl(), token);
                if (previous != null) {
                    c.inheritFrom(previous);
                }
                while (exit == null && !c.closed.isDone()) {
                    ClientMessage m = c.data.poll(100, java.util.concurrent.TimeUnit.MILLISECONDS);
                    if (m == null) {
                        continue;
                    }
                    if (m.payloadType() == PayloadType.HANDSHAKE_REQUEST.wire()) {
                        Sessions.answerSessionType(c, "1.2.677.0", Sessions.json(m));
                    } else if (m.payloadType() == PayloadType.OUTPUT.wire()) {
                        out.append(new String(m.payload(), StandardCharsets.UTF_8));
                    } else if (m.payloadType() == PayloadType.EXIT_CODE.wire()) {
                        exit = new String(m.payload(), StandardCharsets.UTF_8);
                    }
                }
                c.close();
                previous = c;
                if (exit == null) {
                    token = ssm.resumeSession(b -> b.sessionId(r.sessionId())).tokenValue();
                    assertThat(token).as("session still alive").isNotNull();
                }
            }
            StringBuilder want = new StringBuilder();
            for (int i = 0; i < 60; i++) {
                want.append("line-").append(i).append('\n');
            }
            assertThat(out.toString()).isEqualTo(want.toString());
            assertThat(exit).isEqualTo("EXIT_CODE: 4");
            assertThat(connections).as("the fault plan really cut the connection").isGreaterThan(1);
            assertThat(local.session(r.sessionId()).orElseThrow().connections()).isEqualTo(connections);
        }
    }
}
