package dev.ssmsession.cli;

import java.io.InterruptedIOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * A long-lived local service (port forwards, the SOCKS proxy) runs until it ends by itself or the user
 * stops it. Ctrl-C arrives as JVM shutdown, so a shutdown hook closes it; otherwise {@link #finish}
 * does. Exactly one of the two paths closes it.
 */
public final class UntilEnded {
    private final Thread hook;

    private UntilEnded(Thread hook) {
        this.hook = hook;
    }

    /** Installs {@code onSignal} (say so, then close) as a shutdown hook named {@code hookName}. */
    public static UntilEnded onSignal(String hookName, Runnable onSignal) {
        Thread hook = new Thread(() -> {
            try {
                onSignal.run();
            } catch (RuntimeException e) {
                // one line, never a stack trace: the process is ending either way
                System.err.println("ssm-session: while closing: " + e.getMessage());
            }
        }, hookName);
        Runtime.getRuntime().addShutdownHook(hook);
        return new UntilEnded(hook);
    }

    /** Waits for {@code ended}; an interrupt or a failure becomes the CLI's own exceptions. */
    public void await(CompletableFuture<?> ended) throws InterruptedIOException {
        try {
            ended.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted");
        } catch (ExecutionException e) {
            throw Failures.unchecked(e);
        }
    }

    /** Removes the hook and runs {@code close}, unless the JVM is shutting down (the hook closes then). */
    public void finish(Runnable close) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            return;
        }
        close.run();
    }
}
