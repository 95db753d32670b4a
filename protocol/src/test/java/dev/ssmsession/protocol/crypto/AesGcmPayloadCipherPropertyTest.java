package dev.ssmsession.protocol.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Tag;
import net.jqwik.api.constraints.Size;

@Tag("pure")
class AesGcmPayloadCipherPropertyTest {

    @Property(tries = 300)
    void agentOpensWhatTheClientSealsAndViceVersa(@ForAll @Size(64) byte[] dataKey, @ForAll @Size(max = 2048) byte[] plaintext) {
        PayloadCipher client = AesGcmPayloadCipher.create(dataKey, Side.CLIENT);
        PayloadCipher agent = AesGcmPayloadCipher.create(dataKey, Side.AGENT);

        byte[] up = client.encrypt(plaintext);
        byte[] down = agent.encrypt(plaintext);

        assertThat(up).hasSize(plaintext.length + AesGcmPayloadCipher.OVERHEAD);
        assertThat(agent.decrypt(up)).isEqualTo(plaintext);
        assertThat(client.decrypt(down)).isEqualTo(plaintext);
    }

    @Property(tries = 1000)
    void arbitraryEnvelopesOnlyFailAsDecryptionErrors(@ForAll @Size(max = 200) byte[] envelope) {
        PayloadCipher client = AesGcmPayloadCipher.create(new byte[64], Side.CLIENT);

        // A random 128-bit tag verifies with probability 2^-128: every input must be refused.
        assertThatThrownBy(() -> client.decrypt(envelope)).isInstanceOf(PayloadDecryptionException.class);
    }
}
