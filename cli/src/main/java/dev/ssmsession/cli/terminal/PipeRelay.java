package dev.ssmsession.cli.terminal;

import dev.ssmsession.cli.internal.Streams;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shell relay when stdin or stdout is not a terminal (scripts, pipes, the AWS CLI under a test harness): no raw
 * mode, no escapes, no resize. When stdin ends, one EOT (0x04, the remote PTY's VEOF) is sent so the remote shell
 * sees end of input the way {@code ssh -tt host < file} does; the session then runs until the remote ends it.
 */
public final class PipeRelay {
    private static final Logger LOG = LoggerFactory.getLogger(PipeRelay.class);
    static final int EOT = 0x04;

    /** How long a failed session gets to hand over output it already received before the failure is reported. */
    private static final Duration DRAIN_AFTER_FAILURE = Duration.ofSeconds(5);

    private final InputStream stdin;
    private final OutputStream stdout;
    private final RemoteShell shell;
    private final Duration drainAfterFailure;

    public PipeRelay(InputStream stdin, OutputStream stdout, RemoteShell shell) {
        this(stdin, stdout, shell, DRAIN_AFTER_FAILURE);
    }

    PipeRelay(InputStream stdin, OutputStream stdout, RemoteShell shell, Duration drainAfterFailure) {
        this.stdin = stdin;
        this.stdout = stdout;
        this.shell = shell;
        this.drainAfterFailure = drainAfterFailure;
    }

    /**
     * Runs until the session ends; returns the remote exit status if reported, else 0. A session that fails is
     * reported even if its output stream never ends (it does not, for one: a shell view on a session that turned out
     * to be a port session).
     */
    public int run() throws IOException {
        Thread keyboard = new Thread(this::pumpInput, "ssm-session-stdin");
        keyboard.setDaemon(true); // a blocked read of stdin must not keep the JVM alive
        keyboard.start();
        CompletableFuture<Void> drained = new CompletableFuture<>();
        Thread output = new Thread(() -> pumpOutput(drained), "ssm-session-output");
        output.setDaemon(true);
        output.start();
        try {
            CompletableFuture.anyOf(drained, shell.completion()).exceptionally(failure -> null).get();
            if (shell.completion().isCompletedExceptionally()) {
                drained.exceptionally(failure -> null)
                        .get(drainAfterFailure.toMillis(), TimeUnit.MILLISECONDS);
            } else {
                drained.get(); // the session ended normally: everything it sent is written before we return
            }
        } catch (TimeoutException e) {
            LOG.debug("output did not end within {} of the session's failure", drainAfterFailure);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for the session to end");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw cause instanceof IOException io ? io : new IOException(cause.getMessage(), cause);
        }
        try {
            OptionalInt exit = shell.completion().get();
            return exit.orElse(0);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for the session to end");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw cause instanceof IOException io ? io : new IOException(cause.getMessage(), cause);
        }
    }

    private void pumpOutput(CompletableFuture<Void> drained) {
        try {
            Streams.copyFlushing(shell.output(), stdout, 8192);
            drained.complete(null);
        } catch (IOException e) {
            drained.completeExceptionally(e);
        }
    }

    private void pumpInput() {
        byte[] buffer = new byte[1024];
        OutputStream remote = shell.input();
        try {
            for (int n; (n = stdin.read(buffer)) >= 0; ) {
                if (shell.completion().isDone()) {
                    return;
                }
                EnterKey.asCarriageReturn(buffer, 0, n);
                remote.write(buffer, 0, n);
                remote.flush();
            }
            if (!shell.completion().isDone()) {
                remote.write(EOT);
                remote.flush();
            }
        } catch (IOException e) {
            LOG.debug("stdin pump ended: {}", e.toString());
        }
    }
}
