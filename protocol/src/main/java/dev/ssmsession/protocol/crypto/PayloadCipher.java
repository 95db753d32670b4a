package dev.ssmsession.protocol.crypto;

/**
 * Encrypts what this side sends and decrypts what it receives, once KMS encryption is on
 * (SPEC §5). Which payload types pass through it is the data channel's business (SPEC §5.5).
 */
public interface PayloadCipher {
    /** Seals {@code plaintext} into an envelope for the peer. */
    byte[] encrypt(byte[] plaintext);

    /**
     * Opens an envelope from the peer.
     *
     * @throws PayloadDecryptionException if the envelope is short or fails authentication
     */
    byte[] decrypt(byte[] envelope);
}
