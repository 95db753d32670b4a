package dev.ssmsession.client;

import dev.ssmsession.client.internal.ShellHandler;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.CompletableFuture;

/**
 * A raw byte stream to a port on the target (SPEC §8.5, {@code AWS-StartSSHSession}): what SSH's
 * {@code ProxyCommand} needs. Closing {@link #stdin()} (EOF) ends the session.
 */
public final class StdioSession implements AutoCloseable {
    private final Session session;
    private final OutputStream stdin;
    private final InputStream stdout;

    StdioSession(Session session, ShellHandler handler) {
        this.session = session;
        this.stdin = handler.stdin(session::close);
        this.stdout = handler.stdout();
    }

    public String sessionId() {
        return session.sessionId();
    }

    /** Bytes to the remote port. {@code close()} ends the session. */
    public OutputStream stdin() {
        return stdin;
    }

    /** Bytes from the remote port; -1 when the session ended. */
    public InputStream stdout() {
        return stdout;
    }

    /** The session this stream belongs to ({@link Session#info()}, {@link Session#addConnectionListener}). */
    public Session session() {
        return session;
    }

    public CompletableFuture<SessionEnd> ended() {
        return session.ended();
    }

    @Override
    public void close() {
        session.close();
    }
}
