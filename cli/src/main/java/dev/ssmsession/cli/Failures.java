package dev.ssmsession.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** Turns a failed future's cause back into something the command can throw as is. */
final class Failures {
    private Failures() {}

    static IOException unwrap(ExecutionException e) {
        Throwable cause = e.getCause();
        while (cause instanceof CompletionException || cause instanceof ExecutionException) {
            cause = cause.getCause();
        }
        if (cause instanceof RuntimeException runtime) {
            throw runtime;
        }
        if (cause instanceof Error error) {
            throw error;
        }
        if (cause instanceof IOException io) {
            return io;
        }
        return new IOException(cause.getMessage(), cause);
    }

    static RuntimeException unchecked(ExecutionException e) {
        try {
            return new UncheckedIOException(unwrap(e));
        } catch (RuntimeException runtime) {
            return runtime;
        }
    }
}
