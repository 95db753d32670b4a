package dev.ssmsession.protocol.crypto;

import java.util.Map;

/**
 * Produces a data key for an encrypted session. The client implements it with KMS
 * {@code GenerateDataKey} (NumberOfBytes 64); tests and the testkit implement it locally.
 */
@FunctionalInterface
public interface DataKeyProvider {
    /**
     * @param kmsKeyId          the {@code KMSKeyId} from the handshake request, verbatim
     * @param encryptionContext {@code aws:ssm:SessionId}, {@code aws:ssm:TargetId} and, when the
     *                          agent sent one, {@code aws:ssm:RandomChallenge}
     * @return a key with a 64-byte plaintext
     */
    DataKey generateDataKey(String kmsKeyId, Map<String, String> encryptionContext);
}
