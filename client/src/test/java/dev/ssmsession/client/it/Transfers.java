package dev.ssmsession.client.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Random;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/** Sends random bytes through an echoing tunnel and checks the SHA-256 of what comes back. */
final class Transfers {
    private Transfers() {
    }

    static byte[] random(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    /** Writes {@code data} on one thread while reading the echo on this one; returns the echo. */
    static byte[] roundTrip(InputStream in, OutputStream out, byte[] data) throws Exception {
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
            try {
                for (int off = 0; off < data.length; off += 8192) {
                    out.write(data, off, Math.min(8192, data.length - off));
                }
                out.flush();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        byte[] got = in.readNBytes(data.length);
        writer.get();
        return got;
    }

    static void assertEchoes(Socket s, int size, long seed) throws Exception {
        byte[] data = random(size, seed);
        byte[] got = roundTrip(s.getInputStream(), s.getOutputStream(), data);
        assertThat(got.length).isEqualTo(data.length);
        assertThat(sha256(got)).isEqualTo(sha256(data));
    }
}
