package dev.ssmsession.protocol.handshake;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.ssmsession.protocol.crypto.DataKey;
import java.util.Arrays;

/**
 * An agent that sends anything as its HandshakeRequest, then anything as EncChallengeRequest and
 * HandshakeComplete: the client handshake answers or throws {@link HandshakeException}, nothing else
 * (failed actions go into the response, they do not throw).
 *
 * <pre>input = HandshakeRequest payload | 0x00 | EncChallengeRequest payload | 0x00 | HandshakeComplete payload</pre>
 * Missing parts are skipped. Seeds: {@code ClientHandshakeFuzzTestInputs/agentPayloads/}.
 */
class ClientHandshakeFuzzTest {

    @FuzzTest(maxDuration = "10s")
    void agentPayloads(byte[] input) {
        byte[][] parts = split(input);
        ClientHandshake handshake = ClientHandshake.builder()
                .sessionId("fuzz-session").targetId("i-0123456789abcdef0").clientVersion("1.2.694.0")
                .dataKeyProvider((keyId, context) -> new DataKey(new byte[64], new byte[] {1, 2, 3}))
                .nonceSource(nonce -> Arrays.fill(nonce, (byte) 7))
                .build();
        try {
            handshake.onHandshakeRequest(parts[0]);
        } catch (HandshakeException expected) {
            return;
        }
        if (parts.length > 1) {
            try {
                handshake.onEncryptionChallenge(parts[1]);
            } catch (HandshakeException expected) {
                // the agent would end the session; HandshakeComplete may still be tried
            }
        }
        if (parts.length > 2) {
            try {
                handshake.onHandshakeComplete(parts[2]).timeToComplete();
            } catch (HandshakeException expected) {
                // the documented failure
            }
        }
    }

    private static byte[][] split(byte[] input) {
        int first = indexOf(input, 0);
        if (first < 0) {
            return new byte[][] {input};
        }
        int second = indexOf(input, first + 1);
        byte[] request = Arrays.copyOfRange(input, 0, first);
        if (second < 0) {
            return new byte[][] {request, Arrays.copyOfRange(input, first + 1, input.length)};
        }
        return new byte[][] {request, Arrays.copyOfRange(input, first + 1, second), Arrays.copyOfRange(input, second + 1, input.length)};
    }

    private static int indexOf(byte[] b, int from) {
        for (int i = from; i < b.length; i++) {
            if (b[i] == 0) {
                return i;
            }
        }
        return -1;
    }
}
