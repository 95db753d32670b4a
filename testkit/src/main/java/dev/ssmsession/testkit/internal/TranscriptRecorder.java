package dev.ssmsession.testkit.internal;

import dev.ssmsession.testkit.Transcript;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Appends one session's frames to {@code <dir>/<sessionId>.jsonl} as they pass the service. */
final class TranscriptRecorder implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TranscriptRecorder.class);

    private final BufferedWriter out;
    private long firstNanos = -1;
    private boolean failed;

    TranscriptRecorder(Path dir, String sessionId, Transcript.Header header) throws IOException {
        Files.createDirectories(dir);
        out = Files.newBufferedWriter(dir.resolve(sessionId + ".jsonl"), StandardCharsets.UTF_8);
        out.write(Transcript.headerLine(header));
        out.newLine();
        out.flush();
    }

    synchronized void record(Transcript.Direction direction, byte[] frame) {
        if (failed) {
            return;
        }
        long now = System.nanoTime();
        if (firstNanos < 0) {
            firstNanos = now;
        }
        try {
            out.write(Transcript.frameLine(new Transcript.Frame((now - firstNanos) / 1_000_000, direction, frame)));
            out.newLine();
            out.flush();
        } catch (IOException e) {
            failed = true;
            LOG.warn("transcript recording stopped: {}", e.getMessage());
        }
    }

    @Override
    public synchronized void close() {
        try {
            out.close();
        } catch (IOException e) {
            LOG.debug("closing transcript: {}", e.getMessage());
        }
    }
}
