package dev.ssmsession.protocol.handshake;

import dev.ssmsession.protocol.crypto.DataKey;
import dev.ssmsession.protocol.crypto.DataKeyDecryptor;
import dev.ssmsession.protocol.crypto.DataKeyProvider;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A stand-in for KMS with the one property the handshake relies on: Decrypt only returns the data
 * key when the key id and the whole encryption context equal those given to GenerateDataKey.
 */
final class FakeKms implements DataKeyProvider, DataKeyDecryptor {
    private record Issued(byte[] plaintext, String keyId, Map<String, String> context) {
    }

    private final Random random;
    private final Map<ByteBuffer, Issued> issued = new HashMap<>();
    final List<Map<String, String>> generateContexts = new ArrayList<>();
    final List<Map<String, String>> decryptContexts = new ArrayList<>();

    FakeKms(long seed) {
        this.random = new Random(seed);
    }

    @Override
    public DataKey generateDataKey(String kmsKeyId, Map<String, String> encryptionContext) {
        generateContexts.add(Map.copyOf(encryptionContext));
        byte[] plaintext = new byte[64];
        random.nextBytes(plaintext);
        byte[] blob = new byte[24];
        random.nextBytes(blob);
        issued.put(ByteBuffer.wrap(blob.clone()), new Issued(plaintext.clone(), kmsKeyId, Map.copyOf(encryptionContext)));
        return new DataKey(plaintext, blob);
    }

    @Override
    public byte[] decrypt(byte[] ciphertextBlob, String kmsKeyId, Map<String, String> encryptionContext) {
        decryptContexts.add(Map.copyOf(encryptionContext));
        Issued i = issued.get(ByteBuffer.wrap(ciphertextBlob));
        if (i == null || !i.keyId.equals(kmsKeyId) || !i.context.equals(Map.copyOf(encryptionContext))) {
            throw new IllegalStateException("InvalidCiphertextException");
        }
        return i.plaintext.clone();
    }
}
