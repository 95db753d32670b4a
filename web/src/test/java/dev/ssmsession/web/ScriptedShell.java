package dev.ssmsession.web;

import dev.ssmsession.client.SessionEnd;
import dev.ssmsession.web.internal.ShellIo;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;

/** A shell the test scripts: output chunks exactly as given (one read per chunk), input and resizes recorded. */
final class ScriptedShell implements ShellIo {
    private static final byte[] EOF = new byte[0];

    final String id;
    final ByteArrayOutputStream typed = new ByteArrayOutputStream();
    final List<int[]> resizes = new CopyOnWriteArrayList<>();
    final CompletableFuture<SessionEnd> ended = new CompletableFuture<>();
    final CompletableFuture<Void> closed = new CompletableFuture<>();
    private final BlockingQueue<byte[]> out = new LinkedBlockingQueue<>();
    private final BlockingQueue<byte[]> err = new LinkedBlockingQueue<>();

    ScriptedShell(String id) {
        this.id = id;
    }

    /** The next read of stdout returns exactly these bytes. */
    void output(byte[] chunk) {
        out.add(chunk);
    }

    /** The session ends: streams at EOF, then {@link #ended()} completes. */
    void end(OptionalInt exitCode, String message) {
        ended.complete(new SessionEnd(id, exitCode, message, false));
        out.add(EOF);
        err.add(EOF);
    }

    byte[] typed() {
        synchronized (typed) {
            return typed.toByteArray();
        }
    }

    @Override
    public String sessionId() {
        return id;
    }

    @Override
    public OutputStream stdin() {
        return new OutputStream() {
            @Override
            public void write(int b) {
                synchronized (typed) {
                    typed.write(b);
                }
            }

            @Override
            public void write(byte[] b, int off, int len) {
                synchronized (typed) {
                    typed.write(b, off, len);
                }
            }
        };
    }

    @Override
    public InputStream stdout() {
        return new QueueStream(out);
    }

    @Override
    public InputStream stderr() {
        return new QueueStream(err);
    }

    @Override
    public void resize(int cols, int rows) {
        resizes.add(new int[] {cols, rows});
    }

    @Override
    public CompletableFuture<SessionEnd> ended() {
        return ended;
    }

    @Override
    public void close() {
        closed.complete(null);
        if (!ended.isDone()) {
            ended.complete(new SessionEnd(id, OptionalInt.empty(), "closed locally", true));
            out.add(EOF);
            err.add(EOF);
        }
    }

    private static final class QueueStream extends InputStream {
        private final BlockingQueue<byte[]> chunks;
        private boolean eof;

        QueueStream(BlockingQueue<byte[]> chunks) {
            this.chunks = chunks;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (eof) {
                return -1;
            }
            byte[] chunk;
            try {
                chunk = chunks.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
            if (chunk == EOF) {
                eof = true;
                return -1;
            }
            if (chunk.length > len) {
                throw new IllegalStateException("test chunk of " + chunk.length + " bytes larger than the read");
            }
            System.arraycopy(chunk, 0, b, off, chunk.length);
            return chunk.length;
        }
    }
}
