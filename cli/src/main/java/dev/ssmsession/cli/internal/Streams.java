package dev.ssmsession.cli.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/** The one copy-until-EOF of the front ends. */
public final class Streams {
    private Streams() {
    }

    /**
     * Copies {@code from} to {@code to} until EOF, flushing after every read (what the remote sends must show at
     * once, not when a buffer fills), then closes {@code from}.
     */
    public static void copyFlushing(InputStream from, OutputStream to, int bufferSize) throws IOException {
        byte[] buffer = new byte[bufferSize];
        try (InputStream in = from) {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                to.write(buffer, 0, n);
                to.flush();
            }
        }
    }
}
