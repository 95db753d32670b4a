package dev.ssmsession.protocol.crypto;

import java.util.Map;

/**
 * The agent's half of data-key exchange: KMS {@code Decrypt} of the blob the client returned
 * (SPEC §5.1). The testkit implements it with its local KMS.
 */
@FunctionalInterface
public interface DataKeyDecryptor {
    /**
     * @param ciphertextBlob    {@code KMSCipherTextKey} from the handshake response
     * @param kmsKeyId          the key id the agent asked the client to use
     * @param encryptionContext the same context the client used for {@code GenerateDataKey}
     * @return the 64-byte plaintext data key
     */
    byte[] decrypt(byte[] ciphertextBlob, String kmsKeyId, Map<String, String> encryptionContext);
}
