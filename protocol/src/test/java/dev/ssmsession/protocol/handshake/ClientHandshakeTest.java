package dev.ssmsession.protocol.handshake;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ssmsession.protocol.crypto.AesGcmPayloadCipher;
import dev.ssmsession.protocol.crypto.DataKey;
import dev.ssmsession.protocol.crypto.NonceSource;
import dev.ssmsession.protocol.crypto.PayloadCipher;
import dev.ssmsession.protocol.crypto.Side;
import dev.ssmsession.protocol.payload.ActionStatus;
import dev.ssmsession.protocol.payload.HandshakeComplete;
import dev.ssmsession.protocol.payload.HandshakeRequest;
import dev.ssmsession.protocol.payload.PortProperties;
import dev.ssmsession.protocol.payload.RequestedClientAction;
import dev.ssmsession.protocol.payload.SessionType;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The client's handshake against hand-written agent payloads, with exact expected bytes. */
@Tag("pure")
class ClientHandshakeTest {
    private static final String KEY_ARN = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";

    private static ClientHandshake.Builder client() {
        return ClientHandshake.builder().sessionId("alice-0abc").targetId("i-0123456789abcdef0").clientVersion("1.2.677.0");
    }

    private static byte[] countingKey() {
        byte[] key = new byte[64];
        for (int i = 0; i < 64; i++) {
            key[i] = (byte) i;
        }
        return key;
    }

    private static NonceSource fixedNonce(String hex) {
        byte[] nonce = HexFormat.of().parseHex(hex);
        return out -> System.arraycopy(nonce, 0, out, 0, 12);
    }

    @Test
    void shellRequestIsAnsweredLikeTheGoClient() {
        ClientHandshake handshake = client().build();
        String request = """
                {"AgentVersion":"3.3.0.0","RequestedClientActions":[\
                {"ActionType":"SessionType","ActionParameters":{"SessionType":"Standard_Stream","Properties":null}}]}""";

        ClientHandshakeResult result = handshake.onHandshakeRequest(request.getBytes(UTF_8));

        assertThat(new String(result.responsePayload(), UTF_8)).isEqualTo("""
                {"ClientVersion":"1.2.677.0","ProcessedClientActions":[\
                {"ActionType":"SessionType","ActionStatus":1,"ActionResult":null,"Error":""}],"Errors":null}""");
        assertThat(result.succeeded()).isTrue();
        assertThat(result.agentVersion()).isEqualTo("3.3.0.0");
        assertThat(result.sessionType()).contains(SessionType.STANDARD_STREAM);
        assertThat(result.properties()).isEmpty();
        assertThat(result.cipher()).isEmpty();
        assertThat(handshake.state()).isEqualTo(ClientHandshake.State.NEGOTIATED);
    }

    @Test
    void parsedRequestIsAnsweredTheSameWay() {
        HandshakeRequest request = new HandshakeRequest("3.3.0.0", List.of(
                RequestedClientAction.sessionType(SessionType.PORT, new PortProperties("22", null, null, null, null, null).toJsonNode())));

        ClientHandshakeResult result = client().build().onHandshakeRequest(request);

        assertThat(new String(result.responsePayload(), UTF_8)).isEqualTo("{\"ClientVersion\":\"1.2.677.0\",\"ProcessedClientActions\":["
                + "{\"ActionType\":\"SessionType\",\"ActionStatus\":1,\"ActionResult\":null,\"Error\":\"\"}],\"Errors\":null}");
        assertThat(result.portProperties().portNumber()).isEqualTo("22");
    }

    @Test
    void portRequestExposesItsProperties() {
        String request = """
                {"AgentVersion":"3.2.582.0","RequestedClientActions":[{"ActionType":"SessionType","ActionParameters":\
                {"SessionType":"Port","Properties":{"portNumber":"5432","type":"LocalPortForwarding",\
                "localPortNumber":"15432","host":"db.internal","extra":"ignored"}}}]}""";

        ClientHandshakeResult result = client().build().onHandshakeRequest(request.getBytes(UTF_8));

        assertThat(result.sessionType()).contains(SessionType.PORT);
        assertThat(result.portProperties()).isEqualTo(
                new PortProperties("5432", "LocalPortForwarding", "15432", null, null, "db.internal"));
        assertThat(result.portProperties().localPortForwarding()).isTrue();
        assertThat(result.portProperties().unixSocket()).isFalse();
        assertThat(Versions.clientUsesSmux(result.agentVersion())).isTrue();
    }

    @Test
    void shellFamilyTypesAllSucceed() {
        for (SessionType type : SessionType.values()) {
            String request = "{\"AgentVersion\":\"3.3.0.0\",\"RequestedClientActions\":[{\"ActionType\":\"SessionType\","
                    + "\"ActionParameters\":{\"SessionType\":\"" + type.wire() + "\",\"Properties\":null}}]}";
            ClientHandshakeResult result = client().build().onHandshakeRequest(request.getBytes(UTF_8));
            assertThat(result.succeeded()).as(type.wire()).isTrue();
            assertThat(result.sessionType()).contains(type);
        }
    }

    @Test
    void kmsRequestWithRandomChallengeGeneratesAKeyUnderTheFullContextAndAcknowledges() {
        List<Map<String, String>> contexts = new ArrayList<>();
        List<String> keyIds = new ArrayList<>();
        ClientHandshake handshake = client()
                .dataKeyProvider((keyId, context) -> {
                    keyIds.add(keyId);
                    contexts.add(context);
                    return new DataKey(countingKey(), new byte[] {1, 2, 3});
                })
                .nonceSource(fixedNonce("c0c1c2c3c4c5c6c7c8c9cacb"))
                .build();
        String request = """
                {"AgentVersion":"3.3.0.0","RequestedClientActions":[\
                {"ActionType":"SessionType","ActionParameters":{"SessionType":"Standard_Stream","Properties":null}},\
                {"ActionType":"KMSEncryption","ActionParameters":{"KMSKeyId":"%s","Challenge":"AAECAwQFBgcICQoLDA0ODw=="}}]}"""
                .formatted(KEY_ARN);

        ClientHandshakeResult result = handshake.onHandshakeRequest(request.getBytes(UTF_8));

        assertThat(keyIds).containsExactly(KEY_ARN);
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("aws:ssm:SessionId", "alice-0abc");
        expected.put("aws:ssm:TargetId", "i-0123456789abcdef0");
        expected.put("aws:ssm:RandomChallenge", "AAECAwQFBgcICQoLDA0ODw==");
        assertThat(contexts).containsExactly(expected);
        // KMSCipherTextKey: base64 of 01 02 03; KMSCipherTextHash null as in Go; acknowledgement per SPEC §5.4.
        assertThat(new String(result.responsePayload(), UTF_8)).isEqualTo("""
                {"ClientVersion":"1.2.677.0","ProcessedClientActions":[\
                {"ActionType":"SessionType","ActionStatus":1,"ActionResult":null,"Error":""},\
                {"ActionType":"KMSEncryption","ActionStatus":1,"ActionResult":\
                {"KMSCipherTextKey":"AQID","KMSCipherTextHash":null,"ChallengeAcknowledgement":true},"Error":""}],\
                "Errors":null}""");
        assertThat(result.cipher()).isPresent();

        // Challenge envelopes computed at authoring time with Python `cryptography` AESGCM, data key 00..3f,
        // challenge = 64 x 0x5a: request = nonce b0..bb || AESGCM(key[:32]); response = nonce c0..cb || AESGCM(key[32:]).
        String challengeRequest = "{\"Challenge\":\"sLGys7S1tre4ubq7ww8A8baX4QUdos34lwfSmN5mE4hPdNVvBJTYqwbYqExfEXlgOYT84v8B"
                + "+hBm49jvdzdNnUFhGKoX0DZqXsF6pRq+Pa67theozUr98Lpsz3I=\"}";
        byte[] answer = handshake.onEncryptionChallenge(challengeRequest.getBytes(UTF_8));

        assertThat(new String(answer, UTF_8)).isEqualTo("{\"Challenge\":\"wMHCw8TFxsfIycrLMMljq9k1EbEgfwThc4eZVtsW2IpG/Qw3IxVa"
                + "+6/r827blggSsCR5DKXLZK6Fpd2ywyNzbRCgNi9/YNyjXFPxe/t+EgIJQGOl4ZGQ4UNvbTs=\"}");
        assertThat(handshake.state()).isEqualTo(ClientHandshake.State.CHALLENGED);

        HandshakeComplete complete = handshake.onHandshakeComplete(
                "{\"HandshakeTimeToComplete\":1500000000,\"CustomerMessage\":\"This session is encrypted using AWS KMS.\"}".getBytes(UTF_8));
        assertThat(complete.customerMessage()).isEqualTo("This session is encrypted using AWS KMS.");
        assertThat(complete.timeToComplete()).hasMillis(1500);
        assertThat(handshake.state()).isEqualTo(ClientHandshake.State.COMPLETE);
    }

    @Test
    void theNegotiatedCipherIsTheClientSideOfTheDataKey() {
        ClientHandshake handshake = client().dataKeyProvider((k, c) -> new DataKey(countingKey(), new byte[] {9})).build();
        ClientHandshakeResult result = handshake.onHandshakeRequest(("{\"AgentVersion\":\"3.3.0.0\",\"RequestedClientActions\":"
                + "[{\"ActionType\":\"KMSEncryption\",\"ActionParameters\":{\"KMSKeyId\":\"alias/ssm\"}}]}").getBytes(UTF_8));
        PayloadCipher clientCipher = result.cipher().orElseThrow();
        PayloadCipher agentCipher = AesGcmPayloadCipher.create(countingKey(), Side.AGENT);

        assertThat(agentCipher.decrypt(clientCipher.encrypt("up".getBytes(UTF_8)))).asString(UTF_8).isEqualTo("up");
        assertThat(clientCipher.decrypt(agentCipher.encrypt("down".getBytes(UTF_8)))).asString(UTF_8).isEqualTo("down");
    }

    @Test
    void kmsWithoutChallengeLeavesItOutOfContextAndResult() {
        List<Map<String, String>> contexts = new ArrayList<>();
        ClientHandshake handshake = client().dataKeyProvider((keyId, context) -> {
            contexts.add(context);
            return new DataKey(countingKey(), new byte[] {(byte) 0xff});
        }).build();

        ClientHandshakeResult result = handshake.onHandshakeRequest(("{\"AgentVersion\":\"3.0.1.0\",\"RequestedClientActions\":"
                + "[{\"ActionType\":\"KMSEncryption\",\"ActionParameters\":{\"KMSKeyId\":\"alias/ssm\"}}]}").getBytes(UTF_8));

        assertThat(contexts).containsExactly(Map.of("aws:ssm:SessionId", "alice-0abc", "aws:ssm:TargetId", "i-0123456789abcdef0"));
        assertThat(new String(result.responsePayload(), UTF_8)).contains(
                "\"ActionResult\":{\"KMSCipherTextKey\":\"/w==\",\"KMSCipherTextHash\":null},\"Error\":\"\"");
    }

    @Test
    void unknownActionIsUnsupportedWithStatus3NotGosStatus0() {
        String request = """
                {"AgentVersion":"4.0.0.0","RequestedClientActions":[\
                {"ActionType":"SessionType","ActionParameters":{"SessionType":"Standard_Stream","Properties":null}},\
                {"ActionType":"QuantumTunnel","ActionParameters":{"Entangle":true}}]}""";

        ClientHandshakeResult result = client().build().onHandshakeRequest(request.getBytes(UTF_8));

        assertThat(new String(result.responsePayload(), UTF_8)).isEqualTo("""
                {"ClientVersion":"1.2.677.0","ProcessedClientActions":[\
                {"ActionType":"SessionType","ActionStatus":1,"ActionResult":null,"Error":""},\
                {"ActionType":"QuantumTunnel","ActionStatus":3,"ActionResult":null,"Error":"Unsupported action QuantumTunnel"}],\
                "Errors":["Unsupported action QuantumTunnel"]}""");
        assertThat(result.succeeded()).isFalse();
        assertThat(result.sessionType()).contains(SessionType.STANDARD_STREAM);
    }

    @Test
    void unknownSessionTypeFails() {
        String request = "{\"AgentVersion\":\"3.3.0.0\",\"RequestedClientActions\":[{\"ActionType\":\"SessionType\","
                + "\"ActionParameters\":{\"SessionType\":\"Hologram\",\"Properties\":null}}]}";

        ClientHandshakeResult result = client().build().onHandshakeRequest(request.getBytes(UTF_8));

        assertThat(result.response().processedClientActions()).singleElement().satisfies(a -> {
            assertThat(a.actionStatus()).isEqualTo(ActionStatus.FAILED);
            assertThat(a.error()).isEqualTo("Unknown session type Hologram");
        });
        assertThat(result.sessionType()).isEmpty();
        assertThatThrownBy(result::portProperties).isInstanceOf(HandshakeException.class).hasMessageContaining("not Port");
    }

    @Test
    void withoutADataKeyProviderKmsFailsWithTheGoClientsText() {
        ClientHandshakeResult result = client().build().onHandshakeRequest(("{\"AgentVersion\":\"3.3.0.0\",\"RequestedClientActions\":"
                + "[{\"ActionType\":\"KMSEncryption\",\"ActionParameters\":{\"KMSKeyId\":\"alias/ssm\",\"Challenge\":\"AAAA\"}}]}")
                .getBytes(UTF_8));

        assertThat(result.response().processedClientActions()).singleElement().satisfies(a -> {
            assertThat(a.actionStatus()).isEqualTo(ActionStatus.FAILED);
            assertThat(a.error()).isEqualTo("Installed version of CLI does not support Session Manager encryption feature. "
                    + "Please upgrade to the latest version of your CLI (e.g., AWS CLI).");
            assertThat(a.actionResult()).isNull();
        });
        assertThat(result.response().errors()).containsExactly(ClientHandshake.ENCRYPTION_NOT_SUPPORTED);
        assertThat(result.cipher()).isEmpty();
    }

    @Test
    void keyGenerationFailureIsReportedAsFailedWithTheProvidersText() {
        ClientHandshakeResult result = client()
                .dataKeyProvider((k, c) -> {
                    throw new IllegalStateException("AccessDeniedException: not authorized to perform kms:GenerateDataKey");
                })
                .build()
                .onHandshakeRequest(("{\"AgentVersion\":\"3.3.0.0\",\"RequestedClientActions\":"
                        + "[{\"ActionType\":\"KMSEncryption\",\"ActionParameters\":{\"KMSKeyId\":\"alias/ssm\"}}]}").getBytes(UTF_8));

        assertThat(result.response().processedClientActions()).singleElement().satisfies(a -> {
            assertThat(a.actionStatus()).isEqualTo(ActionStatus.FAILED);
            assertThat(a.error()).isEqualTo("Error while generating data key: AccessDeniedException: not authorized to perform kms:GenerateDataKey");
        });
        assertThat(result.cipher()).isEmpty();
    }

    @Test
    void shortDataKeyFailsTheActionWithoutShowingTheKey() {
        ClientHandshakeResult result = client()
                .dataKeyProvider((k, c) -> new DataKey(new byte[] {42, 42, 42, 42}, new byte[] {1}))
                .build()
                .onHandshakeRequest(("{\"AgentVersion\":\"3.3.0.0\",\"RequestedClientActions\":"
                        + "[{\"ActionType\":\"KMSEncryption\",\"ActionParameters\":{\"KMSKeyId\":\"alias/ssm\"}}]}").getBytes(UTF_8));

        assertThat(result.response().processedClientActions().get(0).error()).isEqualTo("data key has 4 bytes, expected 64");
        assertThat(result.cipher()).isEmpty();
    }

    @Test
    void camelCaseAndUnknownFieldsInTheRequestAreAccepted() {
        String request = """
                {"agentVersion":"3.3.0.0","futureField":[1,2],"requestedClientActions":[\
                {"actionType":"SessionType","actionParameters":{"sessionType":"Port","properties":{"portNumber":"22"}}}]}""";

        ClientHandshakeResult result = client().build().onHandshakeRequest(request.getBytes(UTF_8));

        assertThat(result.agentVersion()).isEqualTo("3.3.0.0");
        assertThat(result.sessionType()).contains(SessionType.PORT);
        assertThat(result.portProperties().portNumber()).isEqualTo("22");
        assertThat(result.portProperties().localPortForwarding()).isFalse();
    }

    @Test
    void malformedRequestNamesThePayload() {
        ClientHandshake handshake = client().build();

        assertThatThrownBy(() -> handshake.onHandshakeRequest("{\"AgentVersion\":".getBytes(UTF_8)))
                .isInstanceOf(HandshakeException.class)
                .hasMessageStartingWith("HandshakeRequest: invalid HandshakeRequest JSON");
        assertThat(handshake.state()).isEqualTo(ClientHandshake.State.AWAITING_REQUEST);
    }

    @Test
    void challengeWithoutKmsAndRepeatedMessagesAreRejected() {
        ClientHandshake handshake = client().build();
        byte[] request = ("{\"AgentVersion\":\"3.3.0.0\",\"RequestedClientActions\":[{\"ActionType\":\"SessionType\","
                + "\"ActionParameters\":{\"SessionType\":\"Standard_Stream\",\"Properties\":null}}]}").getBytes(UTF_8);
        handshake.onHandshakeRequest(request);

        assertThatThrownBy(() -> handshake.onHandshakeRequest(request))
                .isInstanceOf(HandshakeException.class).hasMessageContaining("HandshakeRequest received in state NEGOTIATED");
        assertThatThrownBy(() -> handshake.onEncryptionChallenge("{\"Challenge\":\"AAAA\"}".getBytes(UTF_8)))
                .isInstanceOf(HandshakeException.class).hasMessageContaining("not negotiated");
        handshake.onHandshakeComplete("{\"HandshakeTimeToComplete\":1,\"CustomerMessage\":\"\"}".getBytes(UTF_8));
        assertThatThrownBy(() -> handshake.onHandshakeComplete("{\"HandshakeTimeToComplete\":1}".getBytes(UTF_8)))
                .isInstanceOf(HandshakeException.class).hasMessageContaining("twice");
    }

    @Test
    void challengeSealedWithAnotherKeyIsRejected() {
        ClientHandshake handshake = client().dataKeyProvider((k, c) -> new DataKey(countingKey(), new byte[] {1})).build();
        handshake.onHandshakeRequest(("{\"AgentVersion\":\"3.3.0.0\",\"RequestedClientActions\":"
                + "[{\"ActionType\":\"KMSEncryption\",\"ActionParameters\":{\"KMSKeyId\":\"alias/ssm\"}}]}").getBytes(UTF_8));
        PayloadCipher stranger = AesGcmPayloadCipher.create(new byte[64], Side.AGENT);
        byte[] forged = new dev.ssmsession.protocol.payload.EncryptionChallenge(stranger.encrypt(new byte[64])).toJson();

        assertThatThrownBy(() -> handshake.onEncryptionChallenge(forged))
                .isInstanceOf(HandshakeException.class)
                .hasMessageContaining("cannot decrypt the agent's encryption challenge");
    }
}
