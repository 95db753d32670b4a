package dev.ssmsession.protocol.crypto;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Objects;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The session cipher of SPEC §5.2–5.3: AES-256-GCM, no AAD, envelope
 * {@code nonce(12) || ciphertext || tag(16)}. The 64-byte data key holds two AES-256 keys: the agent
 * encrypts with bytes 0–31 and decrypts with 32–63; the client does the reverse.
 *
 * <p>Thread-safe: every call initialises its own {@link Cipher}, so the sender and the receiver of a
 * data channel may use one instance concurrently. The key bytes are copied; {@link #toString()}
 * shows only the side.
 */
public final class AesGcmPayloadCipher implements PayloadCipher {
    /** Length of the KMS data key (SPEC §5.1). */
    public static final int DATA_KEY_LENGTH = 64;
    public static final int NONCE_LENGTH = 12;
    public static final int TAG_LENGTH = 16;
    /** Bytes an envelope adds to the plaintext. */
    public static final int OVERHEAD = NONCE_LENGTH + TAG_LENGTH;

    private static final String TRANSFORMATION = "AES/GCM/NoPadding";
    private static final int HALF = DATA_KEY_LENGTH / 2;

    private final Side side;
    private final SecretKeySpec encryptKey;
    private final SecretKeySpec decryptKey;
    private final NonceSource nonces;

    private AesGcmPayloadCipher(Side side, byte[] dataKey, NonceSource nonces) {
        this.side = Objects.requireNonNull(side, "side");
        Objects.requireNonNull(dataKey, "dataKey");
        this.nonces = Objects.requireNonNull(nonces, "nonces");
        if (dataKey.length != DATA_KEY_LENGTH) {
            throw new IllegalArgumentException("data key must be " + DATA_KEY_LENGTH + " bytes, got " + dataKey.length);
        }
        SecretKeySpec low = new SecretKeySpec(dataKey, 0, HALF, "AES");
        SecretKeySpec high = new SecretKeySpec(dataKey, HALF, HALF, "AES");
        // SPEC §5.2: agent→client traffic uses bytes 0–31, client→agent traffic bytes 32–63.
        this.encryptKey = side == Side.CLIENT ? high : low;
        this.decryptKey = side == Side.CLIENT ? low : high;
    }

    /** A cipher for {@code side} with random nonces from a new {@link SecureRandom}. */
    public static AesGcmPayloadCipher create(byte[] dataKey, Side side) {
        return new AesGcmPayloadCipher(side, dataKey, NonceSource.random(new SecureRandom()));
    }

    /** A cipher for {@code side} whose nonces come from {@code nonces}. */
    public static AesGcmPayloadCipher create(byte[] dataKey, Side side, NonceSource nonces) {
        return new AesGcmPayloadCipher(side, dataKey, nonces);
    }

    public Side side() {
        return side;
    }

    @Override
    public byte[] encrypt(byte[] plaintext) {
        Objects.requireNonNull(plaintext, "plaintext");
        byte[] nonce = new byte[NONCE_LENGTH];
        nonces.nextNonce(nonce);
        byte[] envelope = new byte[NONCE_LENGTH + plaintext.length + TAG_LENGTH];
        System.arraycopy(nonce, 0, envelope, 0, NONCE_LENGTH);
        try {
            Cipher cipher = Cipher.getInstance(TRANSFORMATION);
            cipher.init(Cipher.ENCRYPT_MODE, encryptKey, new GCMParameterSpec(TAG_LENGTH * 8, nonce));
            int written = cipher.doFinal(plaintext, 0, plaintext.length, envelope, NONCE_LENGTH);
            if (written != plaintext.length + TAG_LENGTH) {
                throw new IllegalStateException("AES-GCM wrote " + written + " bytes for a " + plaintext.length + "-byte plaintext");
            }
            return envelope;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-256-GCM is unavailable: " + e.getClass().getSimpleName(), e);
        }
    }

    @Override
    public byte[] decrypt(byte[] envelope) {
        Objects.requireNonNull(envelope, "envelope");
        if (envelope.length < OVERHEAD) {
            throw new PayloadDecryptionException("encrypted payload of " + envelope.length
                    + " bytes is shorter than the " + OVERHEAD + "-byte nonce and tag");
        }
        try {
            Cipher cipher = Cipher.getInstance(TRANSFORMATION);
            cipher.init(Cipher.DECRYPT_MODE, decryptKey, new GCMParameterSpec(TAG_LENGTH * 8, envelope, 0, NONCE_LENGTH));
            return cipher.doFinal(envelope, NONCE_LENGTH, envelope.length - NONCE_LENGTH);
        } catch (AEADBadTagException e) {
            // No cause chained: the provider's text adds nothing and must not be mistaken for detail about the key.
            throw new PayloadDecryptionException("encrypted payload of " + envelope.length
                    + " bytes failed AES-GCM authentication (wrong key or altered bytes)");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-256-GCM is unavailable: " + e.getClass().getSimpleName(), e);
        }
    }

    @Override
    public String toString() {
        return "AesGcmPayloadCipher[side=" + side + ", key=<hidden>]";
    }
}
