package dev.ssmsession.cli.terminal;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;

/**
 * What the terminal front end needs from an interactive session: a byte sink to the remote, the remote's output
 * in order, resize, and completion. The CLI adapts the client library's shell session to this, which keeps the
 * relay testable without a network.
 */
public interface RemoteShell {
    /** Keystrokes to the remote. Writes may block (backpressure); bytes are never dropped. */
    OutputStream input();

    /** Everything the remote prints, in order; end of stream when the session has ended. */
    InputStream output();

    /** The terminal now has this size (SPEC §3.5). */
    void resize(int cols, int rows);

    /**
     * Completes when the session has ended, with the remote exit status when the session reported one
     * (SPEC §3.6), empty otherwise; completes exceptionally when the session broke.
     */
    CompletableFuture<OptionalInt> completion();

    /** Ends the session from this side. Idempotent. */
    void terminate();
}
