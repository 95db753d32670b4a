package dev.ssmsession.cli.e2e;

import com.pty4j.PtyProcess;
import com.pty4j.PtyProcessBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A process on a real PTY, with everything it prints collected for waiting on. */
final class PtyScreen implements AutoCloseable {
    final PtyProcess process;
    private final StringBuilder screen = new StringBuilder();

    PtyScreen(String[] command, Map<String, String> env, int cols, int rows) throws IOException {
        process = new PtyProcessBuilder(command).setEnvironment(env).setInitialColumns(cols).setInitialRows(rows)
                .setRedirectErrorStream(true).start();
        Thread reader = new Thread(this::read, "pty-reader");
        reader.setDaemon(true);
        reader.start();
    }

    private void read() {
        byte[] buffer = new byte[4096];
        try (InputStream in = process.getInputStream()) {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                synchronized (screen) {
                    screen.append(new String(buffer, 0, n, StandardCharsets.ISO_8859_1));
                    screen.notifyAll();
                }
            }
        } catch (IOException e) {
            // the PTY closes with an error on some platforms when the process exits
        }
    }

    void type(byte... bytes) throws IOException {
        process.getOutputStream().write(bytes);
        process.getOutputStream().flush();
    }

    void type(String text) throws IOException {
        type(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Waits until the screen shows {@code text} after position {@code from}; returns the index after it. */
    int await(String text, int from, long timeoutSeconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        synchronized (screen) {
            while (true) {
                int at = screen.indexOf(text, from);
                if (at >= 0) {
                    return at + text.length();
                }
                long left = deadline - System.nanoTime();
                if (left <= 0 || (!process.isAlive() && screen.indexOf(text, from) < 0 && left < 0)) {
                    throw new AssertionError("'" + printable(text) + "' did not appear within " + timeoutSeconds
                            + "s; screen:\n" + printable(screen.substring(from)));
                }
                TimeUnit.NANOSECONDS.timedWait(screen, left);
            }
        }
    }

    int await(String text) throws InterruptedException {
        return await(text, 0, 60);
    }

    String text() {
        synchronized (screen) {
            return screen.toString();
        }
    }

    int exitCode(long timeoutSeconds) throws InterruptedException {
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            throw new AssertionError("process still running; screen:\n" + printable(text()));
        }
        return process.exitValue();
    }

    static String printable(String s) {
        return s.replace("\u001b", "<ESC>").replace("\r", "<CR>").replace("\n", "<LF>\n");
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
