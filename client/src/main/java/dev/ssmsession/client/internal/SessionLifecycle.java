package dev.ssmsession.client.internal;

import dev.ssmsession.client.SessionEnd;
import dev.ssmsession.client.SessionException;
import dev.ssmsession.client.SessionException.Reason;
import dev.ssmsession.client.SessionInfo;
import dev.ssmsession.protocol.payload.ChannelClosed;
import dev.ssmsession.protocol.payload.ExitCode;
import dev.ssmsession.protocol.payload.PayloadFormatException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.BiConsumer;

/**
 * How a session ends, exactly once: a clean end ({@link SessionEnd}) or a failure
 * ({@link SessionException}), the exit code seen on the way, and the two futures callers wait
 * on. Ending stops the session's work under the lock (the owner's {@code onFinished}: timer,
 * handler) and closes the transport after the lock is released. The futures complete on
 * {@code callbacks}, one at a time and in order, never on the thread that ended the session (a WebSocket
 * reader, a scheduler thread or a caller's writer): what a caller chains on them may block. TerminateSession
 * calls run off the lock. Not thread-safe: the session lock guards it, except {@link #terminateSession()}
 * which must run without it, and {@link #isFinished()}.
 */
final class SessionLifecycle {
    private static final Logger log = LoggerFactory.getLogger(SessionLifecycle.class);

    private final String sessionId;
    private final SessionLock lock;
    private final DataChannelTransport transport;
    private final SsmApi ssm;
    private final Executor io;
    private final Executor callbacks;
    private final BiConsumer<SessionEnd, SessionException> onFinished;
    private final CompletableFuture<SessionInfo> info = new CompletableFuture<>();
    private final CompletableFuture<SessionEnd> ended = new CompletableFuture<>();

    /** Volatile for {@link #isFinished()} without the lock (is a cached session still usable?). */
    private volatile boolean finished;
    private SessionEnd endRecord;
    private boolean closing;
    private SessionException failure;
    private OptionalInt exitCode = OptionalInt.empty();

    /**
     * @param io         runs blocking work: the TerminateSession call after a give-up, and (serially) the callbacks
     * @param onFinished runs under the lock when the session ends, before waiters are woken: stops
     *                   timers and ends the session kind
     */
    SessionLifecycle(String sessionId, SessionLock lock, DataChannelTransport transport, SsmApi ssm,
                     Executor io, BiConsumer<SessionEnd, SessionException> onFinished) {
        this.sessionId = sessionId;
        this.lock = lock;
        this.transport = transport;
        this.ssm = ssm;
        this.io = io;
        this.callbacks = new SerialExecutor(io, true);
        this.onFinished = onFinished;
    }

    Executor callbacks() {
        return callbacks;
    }

    CompletableFuture<SessionInfo> info() {
        return info;
    }

    CompletableFuture<SessionEnd> ended() {
        return ended;
    }

    boolean isFinished() {
        return finished;
    }

    SessionException failure() {
        return failure;
    }

    SessionEnd endRecord() {
        return endRecord;
    }

    /** The session type is known: {@link #info()} completes on the callback executor. */
    void typeKnown(SessionInfo known) {
        callbacks.execute(() -> info.complete(known));
    }

    /** Remembers an ExitCode payload for the end record; a malformed one is logged, not fatal. */
    void exitCode(byte[] payload) {
        try {
            exitCode = OptionalInt.of(ExitCode.parse(payload).code());
        } catch (PayloadFormatException e) {
            log.warn("Session {}: {}", sessionId, e.getMessage());
        }
    }

    void fail(SessionException e) {
        finish(null, e);
    }

    /** The agent closed the channel (SPEC §7.3): a clean end, closed locally if this side asked for it. */
    void channelClosed(ChannelClosed closed) {
        String output = closed.output();
        String msg = output == null || output.isBlank()
                ? "Exiting session with sessionId: " + sessionId + "."
                : "SessionId: " + sessionId + " : " + output;
        finish(new SessionEnd(sessionId, exitCode, msg, closing), null);
    }

    /**
     * SPEC §6.3: the resend timeout ends the session through the API. The engine gives up in a tick, on a
     * scheduler thread: the blocking call goes to the I/O executor.
     */
    void gaveUp(String reason) {
        try {
            io.execute(() -> {
                try {
                    ssm.terminateSession(sessionId);
                } catch (SessionException e) {
                    log.debug("TerminateSession after give-up failed: {}", e.getMessage());
                }
            });
        } catch (RejectedExecutionException e) {
            log.debug("No TerminateSession after give-up for {}: the SessionManager is closed", sessionId);
        }
        finish(null, new SessionException(Reason.CONNECTION_LOST, "session " + sessionId
                + " stopped making progress: " + reason));
    }

    /** Marks the session as being closed by this client; false if it already ended. */
    boolean beginClosing() {
        if (finished) {
            return false;
        }
        closing = true;
        return true;
    }

    /** Calls TerminateSession; must not hold the lock. A failure is logged: the session ends here anyway. */
    void terminateSession() {
        try {
            ssm.terminateSession(sessionId);
        } catch (SessionException e) {
            log.warn("TerminateSession for {} failed: {}", sessionId, e.getMessage());
        }
    }

    /** Ends the session as closed by this client (after {@link #terminateSession()} or instead of it). */
    void closedByClient() {
        finish(new SessionEnd(sessionId, exitCode, "Session " + sessionId + " closed by this client.", true), null);
    }

    private void finish(SessionEnd end, SessionException error) {
        if (finished) {
            return;
        }
        finished = true;
        failure = error;
        endRecord = end;
        onFinished.accept(end, error);
        lock.signalAll();
        lock.afterUnlock(transport::close);
        callbacks.execute(() -> {
            if (error != null) {
                info.completeExceptionally(error);
                ended.completeExceptionally(error);
            } else {
                info.completeExceptionally(new SessionException(Reason.CLOSED,
                        "session " + sessionId + " ended before its type was known: " + end.message()));
                ended.complete(end);
            }
        });
        if (error != null) {
            log.debug("Session {} failed: {}", sessionId, error.getMessage());
        }
    }
}
