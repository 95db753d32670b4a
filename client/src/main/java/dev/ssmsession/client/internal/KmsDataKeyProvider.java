package dev.ssmsession.client.internal;

import dev.ssmsession.protocol.crypto.DataKey;
import dev.ssmsession.protocol.crypto.DataKeyProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.GenerateDataKeyResponse;

import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * KMS {@code GenerateDataKey} with {@code NumberOfBytes} 64 and no KeySpec (SPEC §5.1): two
 * AES-256 keys, one per direction. The encryption context is passed through as built by the
 * handshake (session id, target id and, when offered, the agent's random challenge — §5.4).
 */
public final class KmsDataKeyProvider implements DataKeyProvider {
    static final int DATA_KEY_BYTES = 64;

    private final Supplier<KmsClient> clients;

    public KmsDataKeyProvider(KmsClient kms) {
        Objects.requireNonNull(kms, "kms");
        this.clients = () -> kms;
    }

    /** @param clients gives the client when a data key is first asked for (only encrypted sessions need one) */
    public KmsDataKeyProvider(Supplier<KmsClient> clients) {
        this.clients = Objects.requireNonNull(clients, "clients");
    }

    @Override
    public DataKey generateDataKey(String kmsKeyId, Map<String, String> encryptionContext) {
        KmsClient kms = clients.get();
        String endpoint = AwsErrors.endpointOf(kms.serviceClientConfiguration(), "kms");
        GenerateDataKeyResponse r;
        try {
            r = kms.generateDataKey(b -> b.keyId(kmsKeyId).numberOfBytes(DATA_KEY_BYTES).encryptionContext(encryptionContext));
        } catch (SdkException e) {
            throw AwsErrors.translate("kms:GenerateDataKey", "key " + kmsKeyId, e, endpoint);
        }
        byte[] plaintext = r.plaintext().asByteArray();
        if (plaintext.length != DATA_KEY_BYTES) {
            throw new IllegalStateException("KMS returned a " + plaintext.length + "-byte data key for " + kmsKeyId
                    + ", expected " + DATA_KEY_BYTES);
        }
        return new DataKey(plaintext, r.ciphertextBlob().asByteArray());
    }
}
