package dev.ssmsession.web.internal;

import dev.ssmsession.client.SessionEnd;
import dev.ssmsession.client.ShellSession;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.CompletableFuture;

/**
 * What the bridge uses of a {@link ShellSession}; tests of the bridge and the page put a scripted shell behind it
 * (one that cuts its output inside a UTF-8 sequence, which the testkit's agent never does).
 */
public interface ShellIo {
    String sessionId();

    OutputStream stdin();

    InputStream stdout();

    InputStream stderr();

    void resize(int cols, int rows);

    CompletableFuture<SessionEnd> ended();

    /** Ends the session (TerminateSession for a real one). */
    void close();

    /** Opens one per page. */
    @FunctionalInterface
    interface Opener {
        ShellIo open(String target, int cols, int rows);
    }

    static ShellIo of(ShellSession shell) {
        return new ShellIo() {
            @Override
            public String sessionId() {
                return shell.sessionId();
            }

            @Override
            public OutputStream stdin() {
                return shell.stdin();
            }

            @Override
            public InputStream stdout() {
                return shell.stdout();
            }

            @Override
            public InputStream stderr() {
                return shell.stderr();
            }

            @Override
            public void resize(int cols, int rows) {
                shell.resize(cols, rows);
            }

            @Override
            public CompletableFuture<SessionEnd> ended() {
                return shell.ended();
            }

            @Override
            public void close() {
                shell.close();
            }
        };
    }
}
