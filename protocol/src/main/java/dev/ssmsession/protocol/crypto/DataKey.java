package dev.ssmsession.protocol.crypto;

import java.util.Objects;

/**
 * A KMS data key: the 64-byte plaintext (two AES-256 keys, SPEC §5.2) and the ciphertext blob
 * the agent decrypts. {@link #toString()} never shows the plaintext.
 */
public record DataKey(byte[] plaintext, byte[] ciphertextBlob) {
    public DataKey {
        Objects.requireNonNull(plaintext, "plaintext");
        Objects.requireNonNull(ciphertextBlob, "ciphertextBlob");
    }

    @Override
    public String toString() {
        return "DataKey[plaintext=<" + plaintext.length + " bytes hidden>, ciphertextBlob=" + ciphertextBlob.length + " bytes]";
    }
}
