package dev.ssmsession.protocol.handshake;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ssmsession.protocol.crypto.AesGcmPayloadCipher;
import dev.ssmsession.protocol.crypto.DataKey;
import dev.ssmsession.protocol.crypto.PayloadCipher;
import dev.ssmsession.protocol.crypto.Side;
import dev.ssmsession.protocol.payload.EncryptionChallenge;
import dev.ssmsession.protocol.payload.HandshakeComplete;
import dev.ssmsession.protocol.payload.HandshakeRequest;
import dev.ssmsession.protocol.payload.PortProperties;
import dev.ssmsession.protocol.payload.SessionType;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** ClientHandshake and AgentHandshake talking to each other, payload bytes passed back to back. */
@Tag("pure")
class HandshakeRoundTripTest {
    private static final String SESSION = "bob-0fedcba9876543210";
    private static final String TARGET = "i-0aaaabbbbccccdddd";

    private static ClientHandshake.Builder client() {
        return ClientHandshake.builder().sessionId(SESSION).targetId(TARGET).clientVersion("1.2.677.0");
    }

    private static AgentHandshake.Builder agent(SessionType type) {
        return AgentHandshake.builder().sessionId(SESSION).targetId(TARGET).agentVersion("3.3.1345.0")
                .sessionType(type).random(new Random(7));
    }

    @Test
    void plainShellHandshake() {
        AgentHandshake agent = agent(SessionType.NON_INTERACTIVE_COMMANDS).build();
        ClientHandshake client = client().build();

        ClientHandshakeResult c = client.onHandshakeRequest(agent.request());
        AgentHandshakeResult a = agent.onHandshakeResponse(c.responsePayload());
        HandshakeComplete done = client.onHandshakeComplete(agent.complete(Duration.ofMillis(12)));

        assertThat(c.sessionType()).contains(SessionType.NON_INTERACTIVE_COMMANDS);
        assertThat(c.sessionType().orElseThrow().shellFamily()).isTrue();
        assertThat(c.agentVersion()).isEqualTo("3.3.1345.0");
        assertThat(c.cipher()).isEmpty();
        assertThat(a.clientVersion()).isEqualTo("1.2.677.0");
        assertThat(a.cipher()).isEmpty();
        assertThat(a.challengeRequestPayload()).isEmpty();
        assertThat(done.customerMessage()).isEmpty();
        assertThat(done.timeToComplete()).isEqualTo(Duration.ofMillis(12));
        assertThat(client.state()).isEqualTo(ClientHandshake.State.COMPLETE);
    }

    @Test
    void portHandshakeCarriesPropertiesAndVersionGates() {
        PortProperties props = new PortProperties("3306", "LocalPortForwarding", "0", null, null, "db.example");
        AgentHandshake agent = agent(SessionType.PORT).properties(props).build();
        ClientHandshake client = client().build();

        ClientHandshakeResult c = client.onHandshakeRequest(agent.request());
        AgentHandshakeResult a = agent.onHandshakeResponse(c.responsePayload());

        assertThat(c.portProperties()).isEqualTo(props);
        assertThat(Versions.clientUsesSmux(c.agentVersion())).isTrue();
        assertThat(Versions.clientDisablesSmuxKeepalive(c.agentVersion())).isTrue();
        assertThat(Versions.agentUsesSmux(a.clientVersion())).isTrue();
        assertThat(Versions.agentDisablesSmuxKeepalive(a.clientVersion())).isTrue();
    }

    @Test
    void kmsHandshakeWithRandomChallenge() {
        FakeKms kms = new FakeKms(1);
        AgentHandshake agent = agent(SessionType.STANDARD_STREAM).kms("alias/session", kms).requireChallengeAcknowledgement(true).build();
        ClientHandshake client = client().dataKeyProvider(kms).build();

        byte[] request = agent.request();
        String challengeText = HandshakeRequest.fromJson(request).requestedClientActions().get(1)
                .kmsEncryptionParameters().challenge();
        ClientHandshakeResult c = client.onHandshakeRequest(request);
        AgentHandshakeResult a = agent.onHandshakeResponse(c.responsePayload());
        agent.onChallengeResponse(client.onEncryptionChallenge(a.challengeRequestPayload().orElseThrow()));
        HandshakeComplete done = client.onHandshakeComplete(agent.complete(Duration.ofSeconds(1)));

        assertThat(java.util.Base64.getDecoder().decode(challengeText)).hasSize(16);
        Map<String, String> expected = Map.of("aws:ssm:SessionId", SESSION, "aws:ssm:TargetId", TARGET,
                "aws:ssm:RandomChallenge", challengeText);
        assertThat(kms.generateContexts).containsExactly(expected);
        assertThat(kms.decryptContexts).containsExactly(expected);
        assertThat(done.customerMessage()).isEqualTo(AgentHandshake.ENCRYPTED_MESSAGE);
        assertSessionCiphersPair(c.cipher().orElseThrow(), a.cipher().orElseThrow());
    }

    @Test
    void kmsHandshakeWithoutRandomChallenge() {
        FakeKms kms = new FakeKms(2);
        AgentHandshake agent = agent(SessionType.STANDARD_STREAM).kms("alias/session", kms).randomChallenge(false).build();
        ClientHandshake client = client().dataKeyProvider(kms).build();

        ClientHandshakeResult c = client.onHandshakeRequest(agent.request());
        AgentHandshakeResult a = agent.onHandshakeResponse(c.responsePayload());
        agent.onChallengeResponse(client.onEncryptionChallenge(a.challengeRequestPayload().orElseThrow()));
        client.onHandshakeComplete(agent.complete(Duration.ZERO));

        Map<String, String> expected = Map.of("aws:ssm:SessionId", SESSION, "aws:ssm:TargetId", TARGET);
        assertThat(kms.generateContexts).containsExactly(expected);
        assertThat(kms.decryptContexts).containsExactly(expected);
        assertThat(new String(c.responsePayload(), UTF_8)).doesNotContain("ChallengeAcknowledgement");
        assertSessionCiphersPair(c.cipher().orElseThrow(), a.cipher().orElseThrow());
    }

    @Test
    void agentThatRequiresTheChallengeRejectsAResponseWithoutAcknowledgement() {
        FakeKms kms = new FakeKms(3);
        AgentHandshake agent = agent(SessionType.STANDARD_STREAM).kms("alias/session", kms).requireChallengeAcknowledgement(true).build();
        agent.request();
        // What the Go client sends: it ignores the Challenge, so no acknowledgement and no challenge in the context.
        DataKey key = kms.generateDataKey("alias/session", Map.of("aws:ssm:SessionId", SESSION, "aws:ssm:TargetId", TARGET));
        String response = """
                {"ClientVersion":"1.2.677.0","ProcessedClientActions":[\
                {"ActionType":"SessionType","ActionStatus":1,"ActionResult":null,"Error":""},\
                {"ActionType":"KMSEncryption","ActionStatus":1,"ActionResult":{"KMSCipherTextKey":"%s","KMSCipherTextHash":null},"Error":""}],\
                "Errors":null}""".formatted(java.util.Base64.getEncoder().encodeToString(key.ciphertextBlob()));

        assertThatThrownBy(() -> agent.onHandshakeResponse(response.getBytes(UTF_8)))
                .isInstanceOf(HandshakeException.class)
                .hasMessageContaining("did not acknowledge the KMS RandomChallenge");
    }

    @Test
    void agentRejectsAnUnsupportedAction() {
        AgentHandshake agent = agent(SessionType.STANDARD_STREAM).build();
        agent.request();
        ClientHandshakeResult c = client().build().onHandshakeRequest(("{\"AgentVersion\":\"9.0.0.0\",\"RequestedClientActions\":["
                + "{\"ActionType\":\"SessionType\",\"ActionParameters\":{\"SessionType\":\"Standard_Stream\",\"Properties\":null}},"
                + "{\"ActionType\":\"Teleport\",\"ActionParameters\":{}}]}").getBytes(UTF_8));

        assertThatThrownBy(() -> agent.onHandshakeResponse(c.responsePayload()))
                .isInstanceOf(HandshakeException.class)
                .hasMessage("Teleport failed on client with status 3 (UNSUPPORTED): Unsupported action Teleport");
    }

    @Test
    void kmsFailureOnTheClientEndsTheHandshakeAtTheAgent() {
        AgentHandshake agent = agent(SessionType.STANDARD_STREAM).kms("alias/session", new FakeKms(4)).build();
        ClientHandshake client = client().dataKeyProvider((k, ctx) -> {
            throw new IllegalStateException("NotFoundException: Alias alias/session is not found.");
        }).build();

        ClientHandshakeResult c = client.onHandshakeRequest(agent.request());

        assertThat(c.succeeded()).isFalse();
        assertThat(c.cipher()).isEmpty();
        assertThatThrownBy(() -> agent.onHandshakeResponse(c.responsePayload()))
                .isInstanceOf(HandshakeException.class)
                .hasMessage("KMSEncryption failed on client with status 2 (FAILED): "
                        + "Error while generating data key: NotFoundException: Alias alias/session is not found.");
    }

    @Test
    void clientWithoutKmsSupportIsRejectedByAnEncryptingAgent() {
        AgentHandshake agent = agent(SessionType.STANDARD_STREAM).kms("alias/session", new FakeKms(5)).build();
        ClientHandshakeResult c = client().build().onHandshakeRequest(agent.request());

        assertThatThrownBy(() -> agent.onHandshakeResponse(c.responsePayload()))
                .isInstanceOf(HandshakeException.class)
                .hasMessageContaining(ClientHandshake.ENCRYPTION_NOT_SUPPORTED);
    }

    @Test
    void targetMismatchMakesKmsDecryptFailAtTheAgent() {
        FakeKms kms = new FakeKms(6);
        AgentHandshake agent = agent(SessionType.STANDARD_STREAM).targetId("i-someoneelse").kms("alias/session", kms).build();
        ClientHandshakeResult c = client().dataKeyProvider(kms).build().onHandshakeRequest(agent.request());

        assertThatThrownBy(() -> agent.onHandshakeResponse(c.responsePayload()))
                .isInstanceOf(HandshakeException.class)
                .hasMessageContaining("KMS Decrypt of the client's data key failed");
    }

    @Test
    void challengeMismatchIsDetected() {
        FakeKms kms = new FakeKms(8);
        AgentHandshake agent = agent(SessionType.STANDARD_STREAM).kms("alias/session", kms).build();
        ClientHandshake client = client().dataKeyProvider(kms).build();
        ClientHandshakeResult c = client.onHandshakeRequest(agent.request());
        AgentHandshakeResult a = agent.onHandshakeResponse(c.responsePayload());
        client.onEncryptionChallenge(a.challengeRequestPayload().orElseThrow());

        // Correct key, wrong plaintext: a client that answers without having read the challenge.
        byte[] wrongAnswer = new EncryptionChallenge(c.cipher().orElseThrow().encrypt(new byte[64])).toJson();

        assertThatThrownBy(() -> agent.onChallengeResponse(wrongAnswer))
                .isInstanceOf(HandshakeException.class)
                .hasMessage("encryption challenge response does not match the challenge sent");
        assertThatThrownBy(() -> agent.complete(Duration.ZERO)).isInstanceOf(HandshakeException.class);
    }

    @Test
    void challengeAnswerUnderTheWrongKeyIsDetected() {
        FakeKms kms = new FakeKms(9);
        AgentHandshake agent = agent(SessionType.STANDARD_STREAM).kms("alias/session", kms).build();
        ClientHandshakeResult c = client().dataKeyProvider(kms).build().onHandshakeRequest(agent.request());
        agent.onHandshakeResponse(c.responsePayload());
        PayloadCipher stranger = AesGcmPayloadCipher.create(new byte[64], Side.CLIENT);

        assertThatThrownBy(() -> agent.onChallengeResponse(new EncryptionChallenge(stranger.encrypt(new byte[64])).toJson()))
                .isInstanceOf(HandshakeException.class)
                .hasMessageContaining("does not decrypt");
    }

    @Test
    void agentRefusesToCompleteBeforeTheChallengeIsAnswered() {
        FakeKms kms = new FakeKms(10);
        AgentHandshake agent = agent(SessionType.STANDARD_STREAM).kms("alias/session", kms).build();
        ClientHandshakeResult c = client().dataKeyProvider(kms).build().onHandshakeRequest(agent.request());
        agent.onHandshakeResponse(c.responsePayload());

        assertThatThrownBy(() -> agent.complete(Duration.ZERO))
                .isInstanceOf(HandshakeException.class)
                .hasMessageContaining("AWAITING_CHALLENGE_RESPONSE");
    }

    @Test
    void agentRequestIsTheDocumentedShape() {
        AgentHandshake agent = agent(SessionType.STANDARD_STREAM).kms("alias/k", new FakeKms(11)).randomChallenge(false).build();

        assertThat(new String(agent.request(), UTF_8)).isEqualTo("""
                {"AgentVersion":"3.3.1345.0","RequestedClientActions":[\
                {"ActionType":"SessionType","ActionParameters":{"SessionType":"Standard_Stream","Properties":null}},\
                {"ActionType":"KMSEncryption","ActionParameters":{"KMSKeyId":"alias/k"}}]}""");
    }

    private static void assertSessionCiphersPair(PayloadCipher client, PayloadCipher agent) {
        byte[] keystrokes = "whoami\r".getBytes(UTF_8);
        byte[] output = "ssm-user\r\n".getBytes(UTF_8);
        assertThat(agent.decrypt(client.encrypt(keystrokes))).isEqualTo(keystrokes);
        assertThat(client.decrypt(agent.encrypt(output))).isEqualTo(output);
    }
}
