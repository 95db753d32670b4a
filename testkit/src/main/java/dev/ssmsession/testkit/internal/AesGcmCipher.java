package dev.ssmsession.testkit.internal;

import dev.ssmsession.protocol.crypto.PayloadCipher;
import dev.ssmsession.protocol.crypto.PayloadDecryptionException;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The agent's session cipher (SPEC §5.2–5.3): AES-256-GCM, envelope {@code nonce(12)|ct|tag(16)},
 * no AAD. The agent encrypts with plaintext bytes 0–31 and decrypts with 32–63, the mirror of the
 * client. Kept in the testkit on purpose so that it does not share a symmetric bug with the
 * client's cipher.
 */
public final class AesGcmCipher implements PayloadCipher {
    private static final int NONCE = 12;
    private static final int TAG_BITS = 128;

    private final SecretKeySpec encryptKey;
    private final SecretKeySpec decryptKey;
    private final SecureRandom random;

    private AesGcmCipher(byte[] encryptKey, byte[] decryptKey, SecureRandom random) {
        this.encryptKey = new SecretKeySpec(encryptKey, "AES");
        this.decryptKey = new SecretKeySpec(decryptKey, "AES");
        this.random = random;
    }

    /** The agent's cipher for a 64-byte data key. */
    public static AesGcmCipher forAgent(byte[] dataKey, SecureRandom random) {
        if (dataKey.length != 64) {
            throw new IllegalArgumentException("data key must be 64 bytes, got " + dataKey.length);
        }
        return new AesGcmCipher(Arrays.copyOfRange(dataKey, 0, 32), Arrays.copyOfRange(dataKey, 32, 64), random);
    }

    /** The client's view of the same key, for tests that play the client. */
    public static AesGcmCipher forClient(byte[] dataKey, SecureRandom random) {
        if (dataKey.length != 64) {
            throw new IllegalArgumentException("data key must be 64 bytes, got " + dataKey.length);
        }
        return new AesGcmCipher(Arrays.copyOfRange(dataKey, 32, 64), Arrays.copyOfRange(dataKey, 0, 32), random);
    }

    @Override
    public byte[] encrypt(byte[] plaintext) {
        byte[] nonce = new byte[NONCE];
        random.nextBytes(nonce);
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, encryptKey, new GCMParameterSpec(TAG_BITS, nonce));
            byte[] out = new byte[NONCE + c.getOutputSize(plaintext.length)];
            System.arraycopy(nonce, 0, out, 0, NONCE);
            c.doFinal(plaintext, 0, plaintext.length, out, NONCE);
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is required of every Java platform", e);
        }
    }

    @Override
    public byte[] decrypt(byte[] envelope) {
        if (envelope.length < NONCE + TAG_BITS / 8) {
            throw new PayloadDecryptionException("envelope of " + envelope.length + " bytes is shorter than nonce and tag");
        }
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, decryptKey, new GCMParameterSpec(TAG_BITS, envelope, 0, NONCE));
            return c.doFinal(envelope, NONCE, envelope.length - NONCE);
        } catch (javax.crypto.AEADBadTagException e) {
            throw new PayloadDecryptionException("envelope failed authentication", e);
        } catch (GeneralSecurityException e) {
            throw new PayloadDecryptionException("envelope cannot be decrypted: " + e.getClass().getSimpleName(), e);
        }
    }
}
