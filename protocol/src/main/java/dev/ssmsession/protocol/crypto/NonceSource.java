package dev.ssmsession.protocol.crypto;

import java.security.SecureRandom;
import java.util.Objects;

/**
 * Supplies the 12-byte AES-GCM nonce for each envelope (SPEC §5.3). Production uses random nonces;
 * tests inject fixed ones to assert exact bytes. A source must never repeat a nonce under one key.
 */
@FunctionalInterface
public interface NonceSource {
    /** Fills {@code nonce} (12 bytes) with the next nonce. */
    void nextNonce(byte[] nonce);

    /** Random nonces from {@code random}, as the Go client does. */
    static NonceSource random(SecureRandom random) {
        Objects.requireNonNull(random, "random");
        return random::nextBytes;
    }
}
