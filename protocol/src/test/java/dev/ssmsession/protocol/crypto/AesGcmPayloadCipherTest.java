package dev.ssmsession.protocol.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("pure")
class AesGcmPayloadCipherTest {
    private static final HexFormat HEX = HexFormat.of();

    /** bytes 0x00..0x3f: distinct halves, so using the wrong half cannot go unnoticed. */
    private static byte[] countingKey() {
        byte[] key = new byte[64];
        for (int i = 0; i < 64; i++) {
            key[i] = (byte) i;
        }
        return key;
    }

    private static NonceSource fixedNonce(String hex) {
        byte[] nonce = HEX.parseHex(hex);
        return out -> System.arraycopy(nonce, 0, out, 0, nonce.length);
    }

    @Test
    void clientEncryptionMatchesNistGcmTestCase14WithTheUpperKeyHalf() {
        // NIST GCM test case 14: K = 0^256, IV = 0^96, P = 0^128
        //   C = cea7403d4d606b6e074ec5d3baf39d18, T = d0d1c8a799996bf0265b98b5d48ab919.
        // The client encrypts with data-key bytes 32..63 (SPEC §5.2): make those zero, the rest not.
        byte[] key = countingKey();
        Arrays.fill(key, 32, 64, (byte) 0);
        PayloadCipher client = AesGcmPayloadCipher.create(key, Side.CLIENT, fixedNonce("000000000000000000000000"));

        byte[] envelope = client.encrypt(new byte[16]);

        assertThat(HEX.formatHex(envelope)).isEqualTo(
                "000000000000000000000000"                 // nonce (12)
                + "cea7403d4d606b6e074ec5d3baf39d18"       // ciphertext (16)
                + "d0d1c8a799996bf0265b98b5d48ab919");     // tag (16)
    }

    @Test
    void clientDecryptsNistGcmTestCase14WithTheLowerKeyHalf() {
        byte[] key = countingKey();
        Arrays.fill(key, 0, 32, (byte) 0);
        PayloadCipher client = AesGcmPayloadCipher.create(key, Side.CLIENT);

        byte[] plain = client.decrypt(HEX.parseHex("000000000000000000000000"
                + "cea7403d4d606b6e074ec5d3baf39d18d0d1c8a799996bf0265b98b5d48ab919"));

        assertThat(plain).isEqualTo(new byte[16]);
    }

    @Test
    void envelopesMatchAnIndependentImplementationForBothSides() {
        // Expected values computed at authoring time with Python's `cryptography` AESGCM:
        //   nonce || AESGCM(key[32:]).encrypt(nonce, b"ls -la\r", None)  (client, SPEC §5.2)
        //   nonce || AESGCM(key[:32]).encrypt(nonce, b"ls -la\r", None)  (agent)
        byte[] plaintext = "ls -la\r".getBytes(StandardCharsets.US_ASCII);
        String nonce = "a0a1a2a3a4a5a6a7a8a9aaab";

        byte[] fromClient = AesGcmPayloadCipher.create(countingKey(), Side.CLIENT, fixedNonce(nonce)).encrypt(plaintext);
        byte[] fromAgent = AesGcmPayloadCipher.create(countingKey(), Side.AGENT, fixedNonce(nonce)).encrypt(plaintext);

        assertThat(HEX.formatHex(fromClient)).isEqualTo("a0a1a2a3a4a5a6a7a8a9aaab" + "124f8419a8b68d" + "6fcad5cecec2c60aa4653ab977e1ea96");
        assertThat(HEX.formatHex(fromAgent)).isEqualTo("a0a1a2a3a4a5a6a7a8a9aaab" + "8a6b5c0029aa0f" + "0c6f1af623c120e92ac808c44f8bde1b");
    }

    @Test
    void eachSideOpensWhatTheOtherSealsButNotItsOwn() {
        PayloadCipher client = AesGcmPayloadCipher.create(countingKey(), Side.CLIENT);
        PayloadCipher agent = AesGcmPayloadCipher.create(countingKey(), Side.AGENT);
        byte[] up = "keystrokes".getBytes(StandardCharsets.UTF_8);
        byte[] down = "shell output".getBytes(StandardCharsets.UTF_8);

        assertThat(agent.decrypt(client.encrypt(up))).isEqualTo(up);
        assertThat(client.decrypt(agent.encrypt(down))).isEqualTo(down);
        assertThatThrownBy(() -> client.decrypt(client.encrypt(up))).isInstanceOf(PayloadDecryptionException.class);
    }

    @Test
    void everyEnvelopeTakesAFreshNonce() {
        AtomicInteger calls = new AtomicInteger();
        PayloadCipher client = AesGcmPayloadCipher.create(countingKey(), Side.CLIENT, out -> {
            Arrays.fill(out, (byte) calls.incrementAndGet());
        });

        byte[] first = client.encrypt(new byte[] {1});
        byte[] second = client.encrypt(new byte[] {1});

        assertThat(calls).hasValue(2);
        assertThat(Arrays.copyOf(first, 12)).containsOnly(1);
        assertThat(Arrays.copyOf(second, 12)).containsOnly(2);
        assertThat(first).isNotEqualTo(second);
    }

    @Test
    void emptyPlaintextIsJustNonceAndTag() {
        PayloadCipher client = AesGcmPayloadCipher.create(countingKey(), Side.CLIENT);
        PayloadCipher agent = AesGcmPayloadCipher.create(countingKey(), Side.AGENT);

        byte[] envelope = client.encrypt(new byte[0]);

        assertThat(envelope).hasSize(AesGcmPayloadCipher.OVERHEAD);
        assertThat(agent.decrypt(envelope)).isEmpty();
    }

    @Test
    void shortEnvelopeIsRejectedWithItsLength() {
        PayloadCipher client = AesGcmPayloadCipher.create(countingKey(), Side.CLIENT);

        assertThatThrownBy(() -> client.decrypt(new byte[27]))
                .isInstanceOf(PayloadDecryptionException.class)
                .hasMessageContaining("27 bytes")
                .hasMessageContaining("28-byte");
    }

    @Test
    void forgedEnvelopeIsRejectedWithoutProviderDetail() {
        PayloadCipher client = AesGcmPayloadCipher.create(countingKey(), Side.CLIENT);
        PayloadCipher agent = AesGcmPayloadCipher.create(countingKey(), Side.AGENT);
        byte[] envelope = agent.encrypt("secret".getBytes(StandardCharsets.UTF_8));

        for (int i = 0; i < envelope.length; i++) {
            byte[] forged = envelope.clone();
            forged[i] ^= 0x01;
            assertThatThrownBy(() -> client.decrypt(forged))
                    .isInstanceOf(PayloadDecryptionException.class)
                    .hasMessageContaining("authentication")
                    .hasNoCause();
        }
    }

    @Test
    void dataKeyOfWrongLengthIsRefused() {
        assertThatThrownBy(() -> AesGcmPayloadCipher.create(new byte[32], Side.CLIENT))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("64 bytes, got 32");
    }

    @Test
    void keyIsCopiedAndNeverShown() {
        byte[] key = countingKey();
        PayloadCipher client = AesGcmPayloadCipher.create(key, Side.CLIENT);
        PayloadCipher agent = AesGcmPayloadCipher.create(countingKey(), Side.AGENT);
        Arrays.fill(key, (byte) 0x55);

        assertThat(agent.decrypt(client.encrypt(new byte[] {7}))).containsExactly(7);
        assertThat(client.toString()).contains("CLIENT").doesNotContain("0, 1, 2").doesNotContain("000102");
    }
}
