package dev.ssmsession.testkit.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ssmsession.protocol.payload.Payloads;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * KMS {@code GenerateDataKey} and {@code Decrypt} with one testkit master key. The ciphertext blob
 * binds the encryption context (as additional authenticated data), so a Decrypt with another
 * context fails with {@code InvalidCiphertextException}, exactly as KMS does; that is what makes
 * the agent's {@code aws:ssm:SessionId} / {@code TargetId} / {@code RandomChallenge} checks real.
 *
 * <pre>blob = "TKK1" (4) | key id (16, UUID msb,lsb) | nonce (12) | AES-256-GCM(plaintext) with tag</pre>
 */
public final class KmsApi {
    private static final byte[] MAGIC = "TKK1".getBytes(StandardCharsets.US_ASCII);
    private static final int NONCE = 12;

    private final String region;
    private final String account;
    private final UUID keyId;
    private final String alias;
    private final SecretKeySpec masterKey;
    private final SecureRandom random;

    public KmsApi(String region, String account, String alias, SecureRandom random) {
        this.region = region;
        this.account = account;
        this.random = random;
        this.keyId = new UUID(random.nextLong(), random.nextLong());
        this.alias = alias;
        byte[] key = new byte[32];
        random.nextBytes(key);
        this.masterKey = new SecretKeySpec(key, "AES");
    }

    /** The master key's ARN, what a session preference names as the KMS key. */
    public String keyArn() {
        return "arn:aws:kms:" + region + ":" + account + ":key/" + keyId;
    }

    public String aliasName() {
        return "alias/" + alias;
    }

    public Map<String, AwsJsonServer.Operation> operations() {
        return Map.of(
                "TrentService.GenerateDataKey", this::generateDataKey,
                "TrentService.Decrypt", this::decrypt);
    }

    private Object generateDataKey(JsonNode req) {
        requireKnownKey(text(req, "KeyId", true));
        int bytes;
        if (req.hasNonNull("NumberOfBytes")) {
            bytes = req.get("NumberOfBytes").asInt();
            if (bytes < 1 || bytes > 1024) {
                throw AwsError.validation("NumberOfBytes " + bytes + " is outside 1..1024");
            }
        } else if (req.hasNonNull("KeySpec")) {
            String spec = req.get("KeySpec").asText();
            bytes = switch (spec) {
                case "AES_256" -> 32;
                case "AES_128" -> 16;
                default -> throw AwsError.validation("KeySpec " + spec + " is not AES_256 or AES_128");
            };
        } else {
            throw AwsError.validation("one of NumberOfBytes or KeySpec is required");
        }
        byte[] plaintext = new byte[bytes];
        random.nextBytes(plaintext);
        ObjectNode out = Payloads.mapper().createObjectNode();
        out.put("CiphertextBlob", seal(plaintext, context(req)));
        out.put("Plaintext", plaintext);
        out.put("KeyId", keyArn());
        return out;
    }

    private Object decrypt(JsonNode req) {
        String blobText = text(req, "CiphertextBlob", true);
        byte[] blob;
        try {
            blob = Base64.getDecoder().decode(blobText);
        } catch (IllegalArgumentException e) {
            throw new AwsError("InvalidCiphertextException", "CiphertextBlob is not base64");
        }
        String requested = text(req, "KeyId", false);
        if (requested != null) {
            requireKnownKey(requested);
        }
        byte[] plaintext = open(blob, context(req));
        ObjectNode out = Payloads.mapper().createObjectNode();
        out.put("Plaintext", plaintext);
        out.put("KeyId", keyArn());
        out.put("EncryptionAlgorithm", "SYMMETRIC_DEFAULT");
        return out;
    }

    /**
     * Decrypts a blob for the simulated agent, as the agent's KMS Decrypt call would.
     *
     * @throws AwsError {@code InvalidCiphertextException} when the blob or the context does not match
     */
    public byte[] open(byte[] blob, Map<String, String> context) {
        if (blob.length < MAGIC.length + 16 + NONCE + 16
                || !java.util.Arrays.equals(blob, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
            throw new AwsError("InvalidCiphertextException", "CiphertextBlob was not produced by this KMS");
        }
        ByteBuffer b = ByteBuffer.wrap(blob);
        b.position(MAGIC.length);
        UUID blobKey = new UUID(b.getLong(), b.getLong());
        if (!blobKey.equals(keyId)) {
            throw new AwsError("IncorrectKeyException", "CiphertextBlob was encrypted under another key");
        }
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, masterKey, new GCMParameterSpec(128, blob, MAGIC.length + 16, NONCE));
            c.updateAAD(aad(context));
            int from = MAGIC.length + 16 + NONCE;
            return c.doFinal(blob, from, blob.length - from);
        } catch (GeneralSecurityException e) {
            // KMS gives no detail either: a context mismatch and a corrupt blob look the same.
            throw new AwsError("InvalidCiphertextException", "the ciphertext or its encryption context does not match");
        }
    }

    byte[] seal(byte[] plaintext, Map<String, String> context) {
        byte[] nonce = new byte[NONCE];
        random.nextBytes(nonce);
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, masterKey, new GCMParameterSpec(128, nonce));
            c.updateAAD(aad(context));
            byte[] sealed = c.doFinal(plaintext);
            return ByteBuffer.allocate(MAGIC.length + 16 + NONCE + sealed.length)
                    .put(MAGIC).putLong(keyId.getMostSignificantBits()).putLong(keyId.getLeastSignificantBits())
                    .put(nonce).put(sealed).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is required of every Java platform", e);
        }
    }

    private void requireKnownKey(String id) {
        String k = keyId.toString();
        if (!(id.equals(k) || id.equals(keyArn()) || id.equals(aliasName())
                || id.equals("arn:aws:kms:" + region + ":" + account + ":" + aliasName()))) {
            throw new AwsError("NotFoundException", "Key '" + id + "' does not exist");
        }
    }

    private static Map<String, String> context(JsonNode req) {
        Map<String, String> ctx = new TreeMap<>();
        JsonNode node = req.get("EncryptionContext");
        if (node != null && !node.isNull()) {
            if (!node.isObject()) {
                throw AwsError.validation("EncryptionContext must be a map of strings");
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                ctx.put(e.getKey(), e.getValue().asText());
            }
        }
        return ctx;
    }

    /** A canonical, unambiguous encoding of the context: sorted, length-prefixed pairs. */
    private static byte[] aad(Map<String, String> context) {
        ByteBuffer b = ByteBuffer.allocate(4 + new TreeMap<>(context).entrySet().stream()
                .mapToInt(e -> 8 + utf8(e.getKey()).length + utf8(e.getValue()).length).sum());
        b.putInt(context.size());
        for (Map.Entry<String, String> e : new TreeMap<>(context).entrySet()) {
            byte[] k = utf8(e.getKey());
            byte[] v = utf8(e.getValue());
            b.putInt(k.length).put(k).putInt(v.length).put(v);
        }
        return b.array();
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static String text(JsonNode req, String field, boolean required) {
        JsonNode n = req.get(field);
        if (n == null || n.isNull()) {
            if (required) {
                throw AwsError.validation("1 validation error detected: Value null at '" + lower(field) + "' failed to satisfy constraint: Member must not be null");
            }
            return null;
        }
        if (!n.isTextual()) {
            throw new AwsError("SerializationException", field + " must be a string");
        }
        return n.asText();
    }

    private static String lower(String field) {
        return Character.toLowerCase(field.charAt(0)) + field.substring(1);
    }
}
