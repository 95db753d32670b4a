package dev.ssmsession.protocol.payload;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.ssmsession.protocol.handshake.Versions;
import java.util.function.Consumer;

/**
 * Any payload bytes the agent sends, read as every payload kind the client parses: only
 * {@link PayloadFormatException} may escape. Includes what is read lazily from a parsed record
 * (action parameters, port properties, durations). Seeds: {@code PayloadsFuzzTestInputs/parse/}.
 */
class PayloadsFuzzTest {

    @FuzzTest(maxDuration = "10s")
    void parse(byte[] payload) {
        expectOnlyPayloadFormatException(() -> Flag.decode(payload));
        expectOnlyPayloadFormatException(() -> ExitCode.parse(payload));
        expectOnlyPayloadFormatException(() -> Payloads.fromJson(payload, Acknowledge.class));
        expectOnlyPayloadFormatException(() -> Payloads.fromJson(payload, ChannelClosed.class));
        expectOnlyPayloadFormatException(() -> TerminalSize.fromJson(payload));
        expectOnlyPayloadFormatException(() -> EncryptionChallenge.fromJson(payload));
        expectOnlyPayloadFormatException(() -> HandshakeComplete.fromJson(payload).timeToComplete());
        expectOnlyPayloadFormatException(() -> Versions.agentUsesSmux(HandshakeResponse.fromJson(payload).clientVersion()));
        expectOnlyPayloadFormatException(() -> {
            HandshakeRequest request = HandshakeRequest.fromJson(payload);
            Versions.clientUsesSmux(request.agentVersion());
            for (RequestedClientAction action : request.requestedClientActions()) {
                each(action, a -> {
                    SessionTypeParameters p = a.sessionTypeParameters();
                    p.knownSessionType();
                    if (p.properties() != null && p.properties().isObject()) {
                        PortProperties.from(p.properties());
                    }
                });
                each(action, a -> a.kmsEncryptionParameters().randomChallenge());
            }
        });
    }

    private static void each(RequestedClientAction action, Consumer<RequestedClientAction> reader) {
        expectOnlyPayloadFormatException(() -> reader.accept(action));
    }

    private static void expectOnlyPayloadFormatException(Runnable parse) {
        try {
            parse.run();
        } catch (PayloadFormatException expected) {
            // the documented failure
        }
    }
}
