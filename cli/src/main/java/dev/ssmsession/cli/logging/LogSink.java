package dev.ssmsession.cli.logging;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/** Where formatted lines go. Implementations are thread-safe; a line is written whole or not at all. */
public interface LogSink extends AutoCloseable {
    /** Nothing is written. */
    LogSink OFF = line -> { };

    void write(String line);

    @Override
    default void close() {}

    /** Lines to a stream (stderr with {@code --debug}); the stream is not closed. */
    static LogSink stream(PrintStream out) {
        return new LogSink() {
            @Override
            public synchronized void write(String line) {
                out.print(line);
                out.flush();
            }
        };
    }

    /**
     * Lines appended to {@code file}; when the next line would take it past {@code maxBytes}, {@code file} becomes
     * {@code file.1}, {@code file.1} becomes {@code file.2} and so on up to {@code file.<keep>} (the oldest is dropped).
     */
    static LogSink rollingFile(Path file, long maxBytes, int keep) throws IOException {
        return new RollingFile(file, maxBytes, keep);
    }

    /** {@link #rollingFile}. A write that fails is dropped: logging never fails the session. */
    final class RollingFile implements LogSink {
        private final Path file;
        private final long maxBytes;
        private final int keep;
        private OutputStream out;
        private long size;

        RollingFile(Path file, long maxBytes, int keep) throws IOException {
            this.file = file;
            this.maxBytes = maxBytes;
            this.keep = keep;
            open();
        }

        private void open() throws IOException {
            out = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            size = Files.size(file);
        }

        @Override
        public synchronized void write(String line) {
            byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
            try {
                if (out == null) {
                    return;
                }
                if (size > 0 && size + bytes.length > maxBytes) {
                    roll();
                }
                out.write(bytes);
                out.flush();
                size += bytes.length;
            } catch (IOException e) {
                // the disk is full or the file went away: the session goes on without its log
            }
        }

        private void roll() throws IOException {
            out.close();
            out = null;
            for (int i = keep - 1; i >= 1; i--) {
                Path from = Path.of(file + "." + i);
                if (Files.exists(from)) {
                    Files.move(from, Path.of(file + "." + (i + 1)), StandardCopyOption.REPLACE_EXISTING);
                }
            }
            Files.move(file, Path.of(file + ".1"), StandardCopyOption.REPLACE_EXISTING);
            open();
        }

        @Override
        public synchronized void close() {
            try {
                if (out != null) {
                    out.close();
                }
            } catch (IOException ignored) {
                // nothing more to write
            }
            out = null;
        }
    }
}
