package dev.ssmsession.bench;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The bytes every transfer carries: a seeded random block (incompressible, the same in every run),
 * of which a transfer sends a prefix, and the SHA-256 of each prefix length used.
 */
final class Payload {
    private final byte[] data;
    private final Map<Integer, byte[]> digests = new ConcurrentHashMap<>();

    Payload(int size, long seed) {
        data = new byte[size];
        new Random(seed).nextBytes(data);
    }

    int size() {
        return data.length;
    }

    /** The shared block; callers only read it. */
    byte[] bytes() {
        return data;
    }

    byte[] sha256(int length) {
        return digests.computeIfAbsent(length, n -> {
            MessageDigest md = newDigest();
            md.update(data, 0, n);
            return md.digest();
        }).clone();
    }

    boolean matches(int length, byte[] digest) {
        return Arrays.equals(sha256(length), digest);
    }

    static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}
