package dev.ssmsession.cli.terminal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/** A remote shell in memory: records what the relay sends, lets the test play the remote's output and end. */
final class FakeRemoteShell implements RemoteShell {
    private final ByteArrayOutputStream received = new ByteArrayOutputStream();
    private final PipedOutputStream remoteOutput = new PipedOutputStream();
    private final PipedInputStream output;
    final List<int[]> resizes = new CopyOnWriteArrayList<>();
    final CompletableFuture<OptionalInt> completion = new CompletableFuture<>();
    final CompletableFuture<Void> terminated = new CompletableFuture<>();
    final CompletableFuture<int[]> firstResize = new CompletableFuture<>();

    FakeRemoteShell() {
        try {
            output = new PipedInputStream(remoteOutput, 64 * 1024);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String sessionId() {
        return "fake-shell-0001";
    }

    @Override
    public OutputStream input() {
        return new OutputStream() {
            @Override
            public void write(int b) {
                synchronized (received) {
                    received.write(b);
                    received.notifyAll();
                }
            }
        };
    }

    @Override
    public InputStream output() {
        return output;
    }

    @Override
    public void resize(int cols, int rows) {
        resizes.add(new int[] {cols, rows});
        firstResize.complete(new int[] {cols, rows});
    }

    @Override
    public CompletableFuture<OptionalInt> completion() {
        return completion;
    }

    @Override
    public void terminate() {
        terminated.complete(null);
        end(OptionalInt.empty());
    }

    /** The remote prints this. */
    void print(byte[] bytes) throws IOException {
        remoteOutput.write(bytes);
        remoteOutput.flush();
    }

    /** The remote session ends (output stream closes first, as a real session's does). */
    void end(OptionalInt exit) {
        try {
            remoteOutput.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        completion.complete(exit);
    }

    byte[] received() {
        synchronized (received) {
            return received.toByteArray();
        }
    }

    /** Waits until at least {@code count} bytes reached the remote; returns them. */
    byte[] awaitReceived(int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        synchronized (received) {
            while (received.size() < count) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("remote received only " + received.size() + " of " + count + " bytes");
                }
                TimeUnit.NANOSECONDS.timedWait(received, left);
            }
            return received.toByteArray();
        }
    }
}
