package dev.ssmsession.protocol.payload;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Golden JSON both ways: exact field names and order out (SPEC §3.7), lenient names and unknown fields in. */
@Tag("pure")
class PayloadJsonTest {

    private static byte[] utf8(String s) {
        return s.getBytes(UTF_8);
    }

    private static String text(byte[] b) {
        return new String(b, UTF_8);
    }

    @Test
    void terminalSizeUsesLowercaseKeys() {
        assertThat(text(new TerminalSize(120, 40).toJson())).isEqualTo("{\"cols\":120,\"rows\":40}");
        assertThat(TerminalSize.fromJson(utf8("{\"Rows\":24,\"COLS\":80,\"pixels\":0}"))).isEqualTo(new TerminalSize(80, 24));
    }

    @Test
    void acknowledgeMatchesTheGoFieldOrder() {
        Acknowledge ack = new Acknowledge("output_stream_data", "00112233-4455-4677-8899-aabbccddeeff", 7, true);

        assertThat(text(Payloads.toJson(ack))).isEqualTo("{\"AcknowledgedMessageType\":\"output_stream_data\","
                + "\"AcknowledgedMessageId\":\"00112233-4455-4677-8899-aabbccddeeff\","
                + "\"AcknowledgedMessageSequenceNumber\":7,\"IsSequentialMessage\":true}");
        assertThat(Payloads.fromJson(utf8("{\"acknowledgedMessageType\":\"output_stream_data\",\"acknowledgedmessageid\":"
                + "\"00112233-4455-4677-8899-aabbccddeeff\",\"AcknowledgedMessageSequenceNumber\":7,"
                + "\"IsSequentialMessage\":true,\"Extra\":{\"a\":1}}"), Acknowledge.class)).isEqualTo(ack);
    }

    @Test
    void channelClosedIgnoresUnknownFieldsAndKeepsCreatedDateAsText() {
        ChannelClosed closed = Payloads.fromJson(utf8("{\"MessageId\":\"6b1a0d36-0000-4000-8000-000000000001\","
                + "\"CreatedDate\":\"2026-11-28T11:00:00.000Z\",\"DestinationId\":\"i-0123\",\"SessionId\":\"s-1\","
                + "\"MessageType\":\"channel_closed\",\"SchemaVersion\":1,\"Output\":\"idle timeout\",\"NewThing\":[]}"),
                ChannelClosed.class);

        assertThat(closed.createdDate()).isEqualTo("2026-11-28T11:00:00.000Z");
        assertThat(closed.output()).isEqualTo("idle timeout");
        assertThat(closed.sessionId()).isEqualTo("s-1");
    }

    @Test
    void channelClosedReadByHandAsTheMapperReadsIt() {
        for (String json : java.util.List.of(
                "{\"MessageId\":\"6b1a0d36-0000-4000-8000-000000000001\",\"CreatedDate\":\"2026-11-28T11:00:00.000Z\","
                        + "\"DestinationId\":\"i-0123\",\"SessionId\":\"s-1\",\"MessageType\":\"channel_closed\","
                        + "\"SchemaVersion\":1,\"Output\":\"idle timeout\",\"NewThing\":[{\"x\":null}]}",
                "{\"messageId\":\"m\",\"sessionId\":\"s\",\"output\":\"\\u00e9t\\u00e9\\n\"}",
                "{\"SessionId\":\"s\",\"SchemaVersion\":\"2\",\"Output\":null}",
                "{\"SessionId\":12,\"Output\":true}",
                "{}")) {
            assertThat(ChannelClosed.fromJson(utf8(json))).as(json).isEqualTo(Payloads.fromJson(utf8(json), ChannelClosed.class));
        }
        for (String bad : java.util.List.of("", "null", "[]", "{\"SessionId\":",
                "{\"SessionId\":{}}")) {
            assertThatThrownBy(() -> ChannelClosed.fromJson(utf8(bad))).as(bad).isInstanceOf(PayloadFormatException.class);
            assertThatThrownBy(() -> Payloads.fromJson(utf8(bad), ChannelClosed.class)).as(bad)
                    .isInstanceOf(PayloadFormatException.class);
        }
    }

    @Test
    void handshakeRequestParsesBothActionsAndKeepsUnknownOnes() {
        String json = """
                {"AgentVersion":"3.3.0.0","RequestedClientActions":[\
                {"ActionType":"SessionType","ActionParameters":{"SessionType":"Port","Properties":{"portNumber":"80","type":"LocalPortForwarding"}}},\
                {"ActionType":"KMSEncryption","ActionParameters":{"KMSKeyId":"alias/k","Challenge":"AAECAwQFBgcICQoLDA0ODw=="}},\
                {"ActionType":"Future","ActionParameters":{"b":[1,2],"a":"x"}}]}""";

        HandshakeRequest request = HandshakeRequest.fromJson(utf8(json));

        assertThat(request.agentVersion()).isEqualTo("3.3.0.0");
        List<RequestedClientAction> actions = request.requestedClientActions();
        assertThat(actions).extracting(RequestedClientAction::actionType).containsExactly("SessionType", "KMSEncryption", "Future");
        SessionTypeParameters session = actions.get(0).sessionTypeParameters();
        assertThat(session.knownSessionType()).contains(SessionType.PORT);
        assertThat(PortProperties.from(session.properties()).portNumber()).isEqualTo("80");
        assertThat(actions.get(1).kmsEncryptionParameters())
                .isEqualTo(new KmsEncryptionParameters("alias/k", "AAECAwQFBgcICQoLDA0ODw=="));
        assertThat(actions.get(2).knownActionType()).isEmpty();
        // Unknown actions round-trip untouched.
        assertThat(text(request.toJson())).isEqualTo(json);
    }

    @Test
    void typedParameterAccessRefusesTheWrongKind() {
        RequestedClientAction kms = RequestedClientAction.kmsEncryption("alias/k", null);

        assertThatThrownBy(kms::sessionTypeParameters)
                .isInstanceOf(PayloadFormatException.class)
                .hasMessage("action KMSEncryption has no SessionTypeParameters");
        assertThatThrownBy(() -> new RequestedClientAction("SessionType", null).sessionTypeParameters())
                .isInstanceOf(PayloadFormatException.class)
                .hasMessageContaining("must be a JSON object");
    }

    @Test
    void kmsParametersToleratesAnAbsentOrEmptyChallenge() {
        assertThat(new KmsEncryptionParameters("k", null).randomChallenge()).isEmpty();
        assertThat(new KmsEncryptionParameters("k", "").randomChallenge()).isEmpty();
        assertThat(text(Payloads.toJson(new KmsEncryptionParameters("k", null)))).isEqualTo("{\"KMSKeyId\":\"k\"}");
    }

    @Test
    void handshakeResponseParsesWithLenientNames() {
        HandshakeResponse response = HandshakeResponse.fromJson(utf8("""
                {"clientVersion":"1.2.677.0","processedClientActions":[\
                {"actiontype":"KMSEncryption","actionstatus":1,"actionresult":{"kmsciphertextkey":"AQID","KMSCipherTextHash":null,\
                "challengeAcknowledgement":true},"error":""}],"errors":null}"""));

        assertThat(response.clientVersion()).isEqualTo("1.2.677.0");
        assertThat(response.errors()).isNull();
        ProcessedClientAction action = response.processedClientActions().get(0);
        assertThat(action.actionStatus()).isEqualTo(ActionStatus.SUCCESS);
        assertThat(action.kmsEncryptionResult()).isEqualTo(new KmsEncryptionResult(new byte[] {1, 2, 3}, null, true));
        assertThat(action.kmsEncryptionResult().acknowledgesChallenge()).isTrue();
    }

    @Test
    void actionStatusOutsideOneToThreeIsAFormatErrorNamingTheValue() {
        // Status 0 is what the Go client's bug sends for unknown actions (SPEC §4.3).
        assertThatThrownBy(() -> HandshakeResponse.fromJson(utf8("{\"ClientVersion\":\"1.2.0.0\",\"ProcessedClientActions\":"
                + "[{\"ActionType\":\"X\",\"ActionStatus\":0,\"ActionResult\":3,\"Error\":\"\"}],\"Errors\":null}")))
                .isInstanceOf(PayloadFormatException.class)
                .hasMessageContaining("HandshakeResponse")
                .hasMessageContaining("unknown ActionStatus 0");
    }

    @Test
    void emptyErrorsListIsWrittenAsNullLikeGosNilSlice() {
        HandshakeResponse response = new HandshakeResponse("1.2.677.0", List.of(), List.of());

        assertThat(text(response.toJson())).isEqualTo("{\"ClientVersion\":\"1.2.677.0\",\"ProcessedClientActions\":[],\"Errors\":null}");
    }

    @Test
    void handshakeCompleteCarriesNanoseconds() {
        HandshakeComplete complete = HandshakeComplete.of(Duration.ofMillis(250), "This session is encrypted using AWS KMS.");

        assertThat(text(complete.toJson())).isEqualTo(
                "{\"HandshakeTimeToComplete\":250000000,\"CustomerMessage\":\"This session is encrypted using AWS KMS.\"}");
        HandshakeComplete parsed = HandshakeComplete.fromJson(utf8("{\"handshaketimetocomplete\":42,\"Unknown\":1}"));
        assertThat(parsed.timeToComplete()).isEqualTo(Duration.ofNanos(42));
        assertThat(parsed.customerMessage()).isEmpty();
    }

    @Test
    void encryptionChallengeIsStandardPaddedBase64() {
        EncryptionChallenge challenge = new EncryptionChallenge(new byte[] {(byte) 0xfb, (byte) 0xff, 0x00, 0x01});

        assertThat(text(challenge.toJson())).isEqualTo("{\"Challenge\":\"+/8AAQ==\"}");
        assertThat(EncryptionChallenge.fromJson(utf8("{\"challenge\":\"+/8AAQ==\"}"))).isEqualTo(challenge);
        assertThat(challenge.toString()).isEqualTo("EncryptionChallenge[4 bytes]");
    }

    @Test
    void portPropertiesOmitAbsentKeysAndAcceptNumbers() {
        PortProperties props = new PortProperties("22", null, null, null, null, null);
        assertThat(text(Payloads.toJson(props))).isEqualTo("{\"portNumber\":\"22\"}");

        JsonNode node = Payloads.mapper().createObjectNode().put("portNumber", 8080).put("localConnectionType", "unix")
                .put("localUnixSocket", "/tmp/s.sock");
        PortProperties fromNumbers = PortProperties.from(node);
        assertThat(fromNumbers.portNumber()).isEqualTo("8080");
        assertThat(fromNumbers.unixSocket()).isTrue();
        assertThat(fromNumbers.localUnixSocket()).isEqualTo("/tmp/s.sock");
    }

    @Test
    void portPropertiesMustBeAnObject() {
        assertThatThrownBy(() -> PortProperties.from(null))
                .isInstanceOf(PayloadFormatException.class).hasMessageContaining("got nothing");
        assertThatThrownBy(() -> PortProperties.from(Payloads.mapper().nullNode()))
                .isInstanceOf(PayloadFormatException.class).hasMessageContaining("got NULL");
    }

    @Test
    void sessionTypeWireValues() {
        assertThat(SessionType.values()).extracting(SessionType::wire)
                .containsExactly("Standard_Stream", "Port", "InteractiveCommands", "NonInteractiveCommands");
        assertThat(SessionType.fromWire("standard_stream")).isEmpty();
        assertThat(SessionType.PORT.shellFamily()).isFalse();
        assertThat(SessionType.INTERACTIVE_COMMANDS.shellFamily()).isTrue();
    }

    @Test
    void badJsonNamesTheTypeAndTheProblem() {
        assertThatThrownBy(() -> TerminalSize.fromJson(utf8("{\"cols\":\"wide\",\"rows\":1}")))
                .isInstanceOf(PayloadFormatException.class)
                .hasMessageStartingWith("invalid TerminalSize JSON:")
                .hasMessageContaining("wide");
        assertThatThrownBy(() -> TerminalSize.fromJson(utf8("{\"cols\":-1,\"rows\":1}")))
                .isInstanceOf(PayloadFormatException.class)
                .hasMessageContaining("negative");
        assertThatThrownBy(() -> HandshakeRequest.fromJson(utf8("[1,2]")))
                .isInstanceOf(PayloadFormatException.class)
                .hasMessageStartingWith("invalid HandshakeRequest JSON:");
        assertThatThrownBy(() -> HandshakeComplete.fromJson(utf8("null")))
                .isInstanceOf(PayloadFormatException.class)
                .hasMessage("HandshakeComplete payload is JSON null");
        assertThatThrownBy(() -> EncryptionChallenge.fromJson(utf8("{\"Challenge\":\"not base64!\"}")))
                .isInstanceOf(PayloadFormatException.class)
                .hasMessageStartingWith("invalid EncryptionChallenge JSON:");
        assertThatThrownBy(() -> EncryptionChallenge.fromJson(utf8("{}")))
                .isInstanceOf(PayloadFormatException.class)
                .hasMessageStartingWith("invalid EncryptionChallenge JSON:");
        assertThatThrownBy(() -> HandshakeResponse.fromJson(new byte[] {(byte) 0xff, (byte) 0xfe}))
                .isInstanceOf(PayloadFormatException.class)
                .hasMessageStartingWith("invalid HandshakeResponse JSON:");
    }
}
