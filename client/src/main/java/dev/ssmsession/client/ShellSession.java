package dev.ssmsession.client;

import dev.ssmsession.client.internal.ShellHandler;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.CompletableFuture;

/**
 * An interactive shell on a remote PTY as byte streams (commands are {@link CommandSession}s). Read {@link #stdout()} and {@link #stderr()} on
 * your own threads (or one after the other for small outputs): a consumer that stops reading
 * slows the agent down through the protocol, nothing is dropped. Both streams end (-1) when the
 * session ends cleanly, and throw after the buffered bytes when it failed.
 *
 * <p>{@link #close()} ends the session with {@code TerminateSession}.
 */
public final class ShellSession implements AutoCloseable {
    private final Session session;
    private final ShellHandler handler;
    private final OutputStream stdin;
    private final InputStream stdout;
    private final InputStream stderr;

    ShellSession(Session session, ShellHandler handler) {
        this.session = session;
        this.handler = handler;
        this.stdin = handler.stdin(() -> { });
        this.stdout = handler.stdout();
        this.stderr = handler.stderr();
    }

    public String sessionId() {
        return session.sessionId();
    }

    /**
     * Keystrokes to the remote PTY, sent as written (a terminal's Enter is CR; a program that writes lines ends
     * them as the remote shell expects); blocks while the send window is full.
     */
    public OutputStream stdin() {
        return stdin;
    }

    /** The agent's Output (for a PTY shell: everything the terminal shows). */
    public InputStream stdout() {
        return stdout;
    }

    /** The agent's StdErr payloads (commands with separate output streams). */
    public InputStream stderr() {
        return stderr;
    }

    /** Sends a Size message to the remote PTY. */
    public void resize(int cols, int rows) {
        handler.resize(cols, rows);
    }

    /** Completes when the session ends; {@link SessionEnd#exitCode()} holds the command's status if sent. */
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
}
