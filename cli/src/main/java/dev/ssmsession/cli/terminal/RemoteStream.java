package dev.ssmsession.cli.terminal;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;

/** A session seen as two byte streams (stdio forwarding; the base of a shell). */
public interface RemoteStream {
    /** The SSM session id (for the start and exit banners). */
    String sessionId();

    /** Bytes to the remote. Writes may block (backpressure); bytes are never dropped. */
    OutputStream input();

    /** Everything the remote sends, in order; end of stream when the session has ended. */
    InputStream output();

    /**
     * Completes when the session has ended, with the remote exit status when the session reported one
     * (SPEC §3.6), empty otherwise; completes exceptionally when the session broke.
     */
    CompletableFuture<OptionalInt> completion();

    /**
     * Completes once the remote has shown whether it reached its destination: the first byte came back, the
     * session ended, or the agent had time enough to report a failure. Ending the session before that would hide
     * the agent's reason (a stdin that is already at EOF, e.g. {@code /dev/null}). Default: at once.
     */
    default CompletableFuture<Void> settled() {
        return CompletableFuture.completedFuture(null);
    }

    /** Ends the session from this side. Idempotent. */
    void terminate();
}
