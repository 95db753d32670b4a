package dev.ssmsession.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ssmsession.protocol.message.ClientMessage;
import dev.ssmsession.protocol.message.ClientMessageCodec;
import dev.ssmsession.protocol.message.MessageType;
import dev.ssmsession.protocol.message.PayloadType;
import static org.assertj.core.groups.Tuple.tuple;

import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsSessionCredentialsIdentity;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.StartSessionResponse;

/** What a misbehaving client gets: a close with a reason, or a logged drop; the testkit keeps running. */
class BadInputTest {
    static LocalSessionManager local;
    static SsmClient ssm;

    @BeforeAll
    static void start() {
        local = LocalSessionManager.builder().maxFrameSize(4096).build().start();
        ssm = SsmApiTest.sdk(local);
    }

    @AfterAll
    static void stop() {
        ssm.close();
        local.close();
    }

    private StartSessionResponse echoSession() {
        return Sessions.start(ssm, local.defaultTarget(), "AWS-StartInteractiveCommand",
                Map.of("command", "while read x; do echo \"got-$x\"; done"));
    }

    @Test
    void wrongTokenIsClosedWithPolicyViolationAndTheSessionStaysUsable() throws Exception {
        StartSessionResponse r = echoSession();
        try (ProtocolClient bad = ProtocolClient.open(r.streamUrl(), "not-the-token")) {
            ProtocolClient.Closed closed = bad.awaitClose();
            assertThat(closed.code()).isEqualTo(1008);
            assertThat(closed.reason()).contains("TokenValue is not valid").doesNotContain(r.tokenValue());
        }
        assertThat(local.session(r.sessionId()).orElseThrow().status()).isEqualTo("CREATED");
        try (ProtocolClient good = ProtocolClient.open(r.streamUrl(), r.tokenValue())) {
            good.sendText("ok\r");
            good.readUntil(PayloadType.OUTPUT, s -> s.contains("got-ok"));
        }
    }

    @Test
    void openDataChannelThatIsNotJsonOrLacksFieldsIsRefused() throws Exception {
        StartSessionResponse r = echoSession();
        try (ProtocolClient c = ProtocolClient.raw(r.streamUrl(), Map.of())) {
            c.sendTextFrame("hello");
            assertThat(c.awaitClose().reason()).contains("not JSON");
        }
        try (ProtocolClient c = ProtocolClient.raw(r.streamUrl(), Map.of())) {
            c.sendTextFrame("{\"MessageSchemaVersion\":\"1.0\",\"TokenValue\":\"" + r.tokenValue() + "\"}");
            assertThat(c.awaitClose().reason()).contains("RequestId is missing");
        }
    }

    @Test
    void binaryBeforeOpenDataChannelIsRefused() throws Exception {
        StartSessionResponse r = echoSession();
        try (ProtocolClient c = ProtocolClient.raw(r.streamUrl(), Map.of())) {
            c.sendRaw(new byte[] {1, 2, 3});
            ProtocolClient.Closed closed = c.awaitClose();
            assertThat(closed.code()).isEqualTo(1008);
            assertThat(closed.reason()).contains("before OpenDataChannel");
        }
    }

    @Test
    void unknownSessionPathIsRefusedAtTheUpgrade() {
        assertThatThrownBy(() -> ProtocolClient.raw(local.streamUrlBase() + "/v1/data-channel/no-such-session", Map.of()))
                .hasMessageContaining("404");
    }

    @Test
    void garbageWrongDigestAndUnknownTypesAreDroppedWithoutAckAndTheSessionGoesOn() throws Exception {
        StartSessionResponse r = echoSession();
        try (ProtocolClient c = ProtocolClient.open(r.streamUrl(), r.tokenValue())) {
            c.sendRaw(new byte[] {0, 0, 0, 116, 'x'});
            // A well-formed input frame for seq 0 whose digest is wrong: must be dropped, not acked.
            byte[] good = ClientMessageCodec.create().encode(new ClientMessage("input_stream_data", 1, System.currentTimeMillis(),
                    0, 0, UUID.randomUUID(), 1, "evil\r".getBytes(StandardCharsets.UTF_8)));
            byte[] corrupt = good.clone();
            corrupt[ClientMessageCodec.PAYLOAD_DIGEST_OFFSET] ^= 1;
            c.sendRaw(corrupt);
            c.sendRaw(ClientMessageCodec.create().encode(new ClientMessage("no_such_message_type", 1, System.currentTimeMillis(),
                    0, 0, UUID.randomUUID(), 1, "x".getBytes(StandardCharsets.UTF_8))));
            c.sendText("fine\r");
            assertThat(c.readUntil(PayloadType.OUTPUT, s -> s.contains("got-fine"))).doesNotContain("evil");
            assertThat(local.session(r.sessionId()).orElseThrow().rejectedFrames()).isEqualTo(3);
            // Exactly one ack came back so far, for the one good input message (seq 0).
            assertThat(c.frames.stream().filter(m -> m.is(MessageType.ACKNOWLEDGE)).count()).isEqualTo(1);
        }
    }

    @Test
    void anOversizedFrameClosesTheConnectionWithTooBig() throws Exception {
        StartSessionResponse r = echoSession();
        try (ProtocolClient c = ProtocolClient.open(r.streamUrl(), r.tokenValue())) {
            c.sendRaw(new byte[5000]);
            ProtocolClient.Closed closed = c.awaitClose();
            assertThat(closed.code()).isEqualTo(1009);
        }
        // The testkit still serves new sessions.
        StartSessionResponse again = echoSession();
        try (ProtocolClient c = ProtocolClient.open(again.streamUrl(), again.tokenValue())) {
            c.sendText("alive\r");
            c.readUntil(PayloadType.OUTPUT, s -> s.contains("got-alive"));
        }
    }

    @Test
    void handBuiltInputIsAckedWithTheExactWireLayout() throws Exception {
        StartSessionResponse r = echoSession();
        try (ProtocolClient c = ProtocolClient.open(r.streamUrl(), r.tokenValue())) {
            byte[] payload = "hand\r".getBytes(StandardCharsets.US_ASCII);
            UUID id = UUID.fromString("00112233-4455-4677-8899-aabbccddeeff");
            ByteBuffer b = ByteBuffer.allocate(120 + payload.length);
            b.putInt(116);
            b.put("input_stream_data               ".getBytes(StandardCharsets.US_ASCII)); // 32 bytes, space-padded
            b.putInt(1).putLong(1_700_000_000_000L).putLong(0).putLong(0);
            b.put(hex("8899aabbccddeeff0011223344554677")); // least-significant half first (SPEC §2.2)
            b.put(MessageDigest.getInstance("SHA-256").digest(payload));
            b.putInt(1).putInt(payload.length).put(payload);
            c.sendRaw(b.array());
            c.readUntil(PayloadType.OUTPUT, s -> s.contains("got-hand"));

            ClientMessage ack = c.frames.stream().filter(m -> m.is(MessageType.ACKNOWLEDGE)).findFirst().orElseThrow();
            JsonNode body = Sessions.json(ack);
            assertThat(body.path("AcknowledgedMessageType").asText()).isEqualTo("input_stream_data");
            assertThat(body.path("AcknowledgedMessageId").asText()).isEqualTo("00112233-4455-4677-8899-aabbccddeeff");
            assertThat(body.path("AcknowledgedMessageSequenceNumber").asLong()).isZero();
            assertThat(body.path("IsSequentialMessage").asBoolean()).isTrue();
            assertThat(ack.flags()).isEqualTo(3);
            assertThat(ack.payloadType()).isZero();
        }
    }

    private static byte[] hex(String s) {
        return java.util.HexFormat.of().parseHex(s);
    }

    /** Signs {@code GET streamUrl} the way the AWS SDK v2 signs any request, for service ssmmessages. */
    static Map<String, String> sdkSignedHeaders(LocalSessionManager local, String streamUrl, String secret) {
        URI ws = URI.create(streamUrl);
        URI http = URI.create("http://" + ws.getRawAuthority() + ws.getRawPath() + "?" + ws.getRawQuery());
        SdkHttpRequest req = SdkHttpRequest.builder().method(SdkHttpMethod.GET).uri(http).build();
        SignedRequest signed = AwsV4HttpSigner.create().sign(r -> r.request(req)
                .identity(AwsSessionCredentialsIdentity.create(local.credentials().accessKeyId(), secret, "session-token-value"))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "ssmmessages")
                .putProperty(AwsV4HttpSigner.REGION_NAME, local.region()));
        Map<String, String> headers = new java.util.HashMap<>();
        signed.request().headers().forEach((k, v) -> {
            if (!k.equalsIgnoreCase("Host")) {
                headers.put(k, v.get(0));
            }
        });
        return headers;
    }

    @Test
    void upgradesSignedByTheAwsSdkSignerVerifyAndOthersAreRefusedWhenRequired() throws Exception {
        try (LocalSessionManager strict = LocalSessionManager.builder().requireSigV4(true).build().start();
             SsmClient strictSsm = SsmApiTest.sdk(strict)) {
            StartSessionResponse r = strictSsm.startSession(b -> b.target(strict.defaultTarget()));
            assertThatThrownBy(() -> ProtocolClient.raw(r.streamUrl(), Map.of())).hasMessageContaining("404");
            Map<String, String> wrongSecret = sdkSignedHeaders(strict, r.streamUrl(), "not-the-secret");
            assertThatThrownBy(() -> ProtocolClient.raw(r.streamUrl(), wrongSecret)).hasMessageContaining("404");
            Map<String, String> good = sdkSignedHeaders(strict, r.streamUrl(), strict.credentials().secretAccessKey());
            try (ProtocolClient c = ProtocolClient.raw(r.streamUrl(), good)) {
                c.sendOpen(r.tokenValue());
                c.nextData();
            }
            SessionView v = strict.session(r.sessionId()).orElseThrow();
            assertThat(v.upgrades()).extracting(SessionView.Upgrade::hasAuthorization, SessionView.Upgrade::signatureValid,
                            SessionView.Upgrade::accepted)
                    .containsExactly(tuple(false, false, false), tuple(true, false, false), tuple(true, true, true));
            assertThat(v.upgrades().get(0).signatureProblem()).isEqualTo("no Authorization header");
            assertThat(v.upgrades().get(1).signatureProblem()).isEqualTo("signature does not match the canonical request");
            assertThat(v.upgrades().get(2).hasSecurityToken()).isTrue();
            assertThat(v.upgrades().get(2).amzDate()).isEqualTo(good.get("X-Amz-Date"));
            assertThat(v.upgrades().toString()).doesNotContain("session-token-value").doesNotContain(good.get("Authorization"));
        }
    }

    @Test
    void withoutTheRequirementUnsignedUpgradesPassAndAreRecordedAsSuch() throws Exception {
        StartSessionResponse r = echoSession();
        Map<String, String> forOtherRegion = sdkSignedHeaders(local, r.streamUrl(), local.credentials().secretAccessKey());
        forOtherRegion.put("Authorization", forOtherRegion.get("Authorization").replace("/us-east-1/", "/eu-west-1/"));
        try (ProtocolClient c = ProtocolClient.raw(r.streamUrl(), forOtherRegion)) {
            c.sendOpen(r.tokenValue());
            c.sendText("x\r");
            c.readUntil(PayloadType.OUTPUT, s -> s.contains("got-x"));
        }
        SessionView.Upgrade u = local.session(r.sessionId()).orElseThrow().upgrades().get(0);
        assertThat(u.accepted()).isTrue();
        assertThat(u.signatureValid()).isFalse();
        assertThat(u.signatureProblem()).isEqualTo("signed for region eu-west-1, not us-east-1");
    }
}
