package dev.ssmsession.client;

import dev.ssmsession.client.internal.ShellHandler;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.CompletableFuture;

/**
 * A command session (e.g. {@code AWS-StartNonInteractiveCommand}): the command's stdout and stderr as separate
 * streams and its exit code from the agent's ExitCode payload. No terminal: there is nothing to resize, and
 * {@link #stdin()} sends bytes exactly as written. Read both streams on your own threads (or one after the other
 * for small outputs): a consumer that stops reading slows the agent down, nothing is dropped. Both end (-1) when
 * the session ends cleanly and throw after the buffered bytes when it failed.
 *
 * <p>{@link #close()} ends the session with {@code TerminateSession}.
 */
public final class CommandSession implements AutoCloseable {
    private final Session session;
    private final OutputStream stdin;
    private final InputStream stdout;
    private final InputStream stderr;

    CommandSession(Session session, ShellHandler handler) {
        this.session = session;
        this.stdin = handler.stdin(() -> { });
        this.stdout = handler.stdout();
        this.stderr = handler.stderr();
    }

    public String sessionId() {
        return session.sessionId();
    }

    /** Input to an interactive command ({@code AWS-StartInteractiveCommand}); blocks while the send window is full. */
    public OutputStream stdin() {
        return stdin;
    }

    /** The command's standard output (the agent's Output payloads). */
    public InputStream stdout() {
        return stdout;
    }

    /** The command's standard error (the agent's StdErr payloads). */
    public InputStream stderr() {
        return stderr;
    }

    /** Completes when the session ends; {@link SessionEnd#exitCode()} holds the command's status if the agent sent one. */
    public CompletableFuture<SessionEnd> ended() {
        return session.ended();
    }

    public Session session() {
        return session;
    }

    @Override
    public void close() {
        session.close();
    }

    @Override
    public String toString() {
        return "CommandSession[" + sessionId() + "]";
    }
}
