package dev.ssmsession.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ssmsession.protocol.message.ClientMessage;
import dev.ssmsession.protocol.message.MessageType;
import dev.ssmsession.protocol.message.PayloadType;
import dev.ssmsession.protocol.payload.Payloads;
import dev.ssmsession.testkit.internal.AesGcmCipher;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.GenerateDataKeyResponse;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.StartSessionResponse;

/**
 * Not a test: the tool that recorded the committed transcript fixtures. Run it on purpose with
 * {@code mvn -pl testkit -am verify -Dtest=RecordFixtures -Dsurefire.failIfNoSpecifiedTests=false -Dtestkit.recordFixtures=true}
 * from the repository root; it rewrites {@code testkit/src/test/resources/dev/ssmsession/testkit/transcripts/}.
 */
@EnabledIfSystemProperty(named = "testkit.recordFixtures", matches = "true")
class RecordFixtures {
    static final Path OUT = Path.of("src/test/resources/dev/ssmsession/testkit/transcripts");

    @TempDir
    Path recordings;

    private static void keep(Path recordings, String sessionId, String name) throws Exception {
        Files.createDirectories(OUT);
        Files.copy(recordings.resolve(sessionId + ".jsonl"), OUT.resolve(name), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    @Test
    void shell() throws Exception {
        try (LocalSessionManager local = LocalSessionManager.builder().shell("/bin/sh").workingDirectory(recordings)
                .transcriptDirectory(recordings).build().start(); SsmClient ssm = SsmApiTest.sdk(local)) {
            StartSessionResponse r = ssm.startSession(b -> b.target(local.defaultTarget()));
            try (ProtocolClient c = ProtocolClient.open(r.streamUrl(), r.tokenValue())) {
                c.readUntil(PayloadType.OUTPUT, s -> s.contains("$ ") || s.contains("# "));
                c.send(PayloadType.SIZE, "{\"cols\":80,\"rows\":24}".getBytes(StandardCharsets.UTF_8));
                c.sendText("echo hello-$((40+2))\r");
                c.readUntil(PayloadType.OUTPUT, s -> s.contains("hello-42"));
                c.sendText("exit\r");
                assertThat(c.nextControl().messageType()).isEqualTo(MessageType.CHANNEL_CLOSED.wire());
            }
            keep(recordings, r.sessionId(), "shell.jsonl");
        }
    }

    @Test
    void commandWithExitCode() throws Exception {
        try (LocalSessionManager local = LocalSessionManager.builder().transcriptDirectory(recordings).build().start();
             SsmClient ssm = SsmApiTest.sdk(local)) {
            StartSessionResponse r = Sessions.start(ssm, local.defaultTarget(), "AWS-StartNonInteractiveCommand",
                    Map.of("command", "echo out-line; echo err-line 1>&2; exit 3"));
            try (ProtocolClient c = ProtocolClient.open(r.streamUrl(), r.tokenValue())) {
                Sessions.answerSessionType(c, "1.2.677.0", Sessions.json(c.nextData()));
                while (c.nextData().payloadType() != PayloadType.EXIT_CODE.wire()) {
                    // drain
                }
                assertThat(c.nextControl().messageType()).isEqualTo(MessageType.CHANNEL_CLOSED.wire());
            }
            keep(recordings, r.sessionId(), "command-exit-code.jsonl");
        }
    }

    @Test
    void smuxForward() throws Exception {
        try (EchoServer echo = new EchoServer(null);
             LocalSessionManager local = LocalSessionManager.builder().transcriptDirectory(recordings).build().start();
             SsmClient ssm = SsmApiTest.sdk(local)) {
            StartSessionResponse r = Sessions.start(ssm, local.defaultTarget(), "AWS-StartPortForwardingSession",
                    Map.of("portNumber", Integer.toString(echo.port()), "localPortNumber", "0"));
            try (ProtocolClient c = ProtocolClient.open(r.streamUrl(), r.tokenValue())) {
                Sessions.answerSessionType(c, "1.2.677.0", Sessions.json(c.nextData()));
                c.nextData();
                c.send(PayloadType.OUTPUT, PortSessionTest.concat(PortSessionTest.smux(0, 3, ""), PortSessionTest.smux(2, 3, "GET / HTTP/1.0\r\n\r\n")));
                PortSessionTest.SmuxReader in = new PortSessionTest.SmuxReader();
                in.readUntil(c, () -> in.data(3).equals("GET / HTTP/1.0\r\n\r\n"));
                c.send(PayloadType.OUTPUT, PortSessionTest.smux(1, 3, ""));
                in.readUntil(c, () -> in.finned(3));
                c.send(PayloadType.FLAG, new byte[] {0, 0, 0, 2});
                assertThat(c.nextControl().messageType()).isEqualTo(MessageType.CHANNEL_CLOSED.wire());
            }
            keep(recordings, r.sessionId(), "smux-forward.jsonl");
        }
    }

    @Test
    void kmsShell() throws Exception {
        try (LocalSessionManager local = LocalSessionManager.builder().kmsEncryption(true).shell("/bin/sh")
                .workingDirectory(recordings).transcriptDirectory(recordings).build().start();
             SsmClient ssm = SsmApiTest.sdk(local); KmsClient kms = KmsTest.kms(local)) {
            StartSessionResponse r = ssm.startSession(b -> b.target(local.defaultTarget()));
            try (ProtocolClient c = ProtocolClient.open(r.streamUrl(), r.tokenValue())) {
                JsonNode req = Sessions.json(c.nextData());
                JsonNode kp = req.path("RequestedClientActions").get(1).path("ActionParameters");
                GenerateDataKeyResponse key = kms.generateDataKey(b -> b.keyId(kp.path("KMSKeyId").asText()).numberOfBytes(64)
                        .encryptionContext(Map.of("aws:ssm:SessionId", r.sessionId(), "aws:ssm:TargetId", local.defaultTarget(),
                                "aws:ssm:RandomChallenge", kp.path("Challenge").asText())));
                AesGcmCipher cipher = AesGcmCipher.forClient(key.plaintext().asByteArray(), new SecureRandom());
                ObjectNode resp = Payloads.mapper().createObjectNode();
                resp.put("ClientVersion", "1.2.677.0");
                var actions = resp.putArray("ProcessedClientActions");
                ObjectNode st = actions.addObject().put("ActionType", "SessionType").put("ActionStatus", 1);
                st.putNull("ActionResult");
                st.put("Error", "");
                ObjectNode k = actions.addObject().put("ActionType", "KMSEncryption").put("ActionStatus", 1);
                k.putObject("ActionResult").put("KMSCipherTextKey", Base64.getEncoder().encodeToString(key.ciphertextBlob().asByteArray()))
                        .put("ChallengeAcknowledgement", true).putNull("KMSCipherTextHash");
                k.put("Error", "");
                resp.putNull("Errors");
                c.send(PayloadType.HANDSHAKE_RESPONSE, Payloads.toJson(resp));
                byte[] plain = cipher.decrypt(Base64.getDecoder().decode(Sessions.json(c.nextData()).path("Challenge").asText()));
                c.send(PayloadType.ENC_CHALLENGE_RESPONSE, Payloads.toJson(Map.of("Challenge", Base64.getEncoder().encodeToString(cipher.encrypt(plain)))));
                assertThat(c.nextData().payloadType()).isEqualTo(PayloadType.HANDSHAKE_COMPLETE.wire());
                c.send(PayloadType.SIZE, "{\"cols\":80,\"rows\":24}".getBytes(StandardCharsets.UTF_8));
                c.send(PayloadType.OUTPUT, cipher.encrypt("echo secret-$((40+2)); exit\r".getBytes(StandardCharsets.UTF_8)));
                StringBuilder out = new StringBuilder();
                while (true) {
                    ClientMessage m = c.data.poll(20, java.util.concurrent.TimeUnit.SECONDS);
                    if (m == null) {
                        break;
                    }
                    out.append(new String(cipher.decrypt(m.payload()), StandardCharsets.UTF_8));
                    if (!c.control.isEmpty()) {
                        break;
                    }
                }
                assertThat(out.toString()).contains("secret-42");
                assertThat(c.nextControl().messageType()).isEqualTo(MessageType.CHANNEL_CLOSED.wire());
            }
            keep(recordings, r.sessionId(), "kms-shell.jsonl");
        }
    }
}
