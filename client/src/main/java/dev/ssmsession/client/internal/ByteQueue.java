package dev.ssmsession.client.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.util.ArrayDeque;
import java.util.Arrays;

/**
 * Bytes received for one consumer, in order, with a blocking reader. Producers (engine callbacks
 * under the session lock) never block: {@link #offer} refuses when the queue is over capacity so
 * the caller can apply backpressure. Its monitor is independent of the session lock, and no
 * callback runs while it is held, so the two cannot deadlock.
 */
public final class ByteQueue {
    private final ArrayDeque<byte[]> chunks = new ArrayDeque<>();
    private final long capacity;
    private int headOffset;
    private long size;
    private boolean finished;
    private IOException failure;
    private boolean refused;

    /** @param capacity bytes held before {@link #offer} refuses; {@code Long.MAX_VALUE} for none */
    public ByteQueue(long capacity) {
        this.capacity = capacity;
    }

    /**
     * Adds a copy of the bytes unless the queue is full (an empty queue takes any size).
     *
     * @return false when refused; {@link #takeRefused()} then reports true once room opened
     */
    public synchronized boolean offer(byte[] b, int off, int len) {
        if (finished) {
            return true;  // nobody will read it; accepting keeps the stream moving
        }
        if (size > 0 && size + len > capacity) {
            refused = true;
            return false;
        }
        if (len > 0) {
            chunks.add(Arrays.copyOfRange(b, off, off + len));
            size += len;
            notifyAll();
        }
        return true;
    }

    /** Whether an offer was refused since the last call (the owner then retries delivery). */
    public synchronized boolean takeRefused() {
        boolean r = refused;
        refused = false;
        return r;
    }

    public synchronized long size() {
        return size;
    }

    /** No more bytes will come: readers drain what is here, then see EOF, or {@code error} if given. */
    public synchronized void finish(IOException error) {
        if (!finished) {
            finished = true;
            failure = error;
            notifyAll();
        }
    }

    public synchronized boolean isFinished() {
        return finished;
    }

    /**
     * Reads up to {@code len} bytes, blocking until some are there.
     *
     * @param timeoutMillis 0 waits forever; otherwise {@link SocketTimeoutException} after that long
     * @return bytes read, or -1 at the end
     */
    public synchronized int read(byte[] b, int off, int len, int timeoutMillis) throws IOException {
        if (len == 0) {
            return 0;
        }
        long deadline = timeoutMillis > 0 ? System.nanoTime() + timeoutMillis * 1_000_000L : 0;
        while (size == 0) {
            if (finished) {
                if (failure != null) {
                    throw new IOException(failure.getMessage(), failure);
                }
                return -1;
            }
            try {
                if (timeoutMillis > 0) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        throw new SocketTimeoutException("read timed out after " + timeoutMillis + " ms");
                    }
                    wait(Math.max(1, left / 1_000_000L));
                } else {
                    wait();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while reading");
            }
        }
        int n = 0;
        while (n < len && !chunks.isEmpty()) {
            byte[] head = chunks.peek();
            int take = Math.min(len - n, head.length - headOffset);
            System.arraycopy(head, headOffset, b, off + n, take);
            n += take;
            headOffset += take;
            if (headOffset == head.length) {
                chunks.poll();
                headOffset = 0;
            }
        }
        size -= n;
        return n;
    }

    public synchronized int available() {
        return (int) Math.min(Integer.MAX_VALUE, size);
    }

    /** An {@link InputStream} over this queue; {@code onRead} hears how many bytes each read took. */
    public InputStream inputStream(java.util.function.IntConsumer onRead, Runnable onClose) {
        return new InputStream() {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                int n = read(one, 0, 1);
                return n < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                java.util.Objects.checkFromIndexSize(off, len, b.length);
                int n = ByteQueue.this.read(b, off, len, 0);
                if (n > 0) {
                    onRead.accept(n);
                }
                return n;
            }

            @Override
            public int available() {
                return ByteQueue.this.available();
            }

            @Override
            public void close() {
                onClose.run();
            }
        };
    }
}
