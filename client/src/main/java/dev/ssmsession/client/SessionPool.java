package dev.ssmsession.client;

import dev.ssmsession.client.internal.TunnelConnection;
import dev.ssmsession.protocol.channel.DataChannelStats;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The port sessions behind one destination (a forward, a SOCKS destination, a socket factory's host:port): up to
 * {@code max} of them, opened lazily, each new connection placed on the least-loaded one. A connection stays on its
 * session for its whole life (the agent could not reassemble a stream split over two sessions).
 *
 * <p>Placement: the slot with the fewest active connections, then an open one over one still starting, then the
 * fewest bytes in flight (un-acked and queued in its data channel). When every slot already carries a connection and
 * fewer than {@code max} exist, a new session is started and the connection waits for it: connections that overlap
 * spread over the sessions instead of piling onto the first while the others start. In basic mode (no smux) a
 * session carries one connection at a time, so this gives each concurrent connection its own session, up to
 * {@code max}.
 *
 * <p>A session that ends (failed, closed by the service) leaves the pool; the next connection that needs one opens a
 * replacement. A session other than the pinned first one that has carried no connection for {@code idle} is closed
 * ({@code TerminateSession}) and reopened on demand.
 */
final class SessionPool implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SessionPool.class);
    /** How long {@link #close()} waits for a session closed on the I/O pool before closing it itself. */
    private static final long CLOSE_WAIT_SECONDS = 10;

    private final String what;
    private final Supplier<Session> opener;
    private final int max;
    private final long idleNanos;
    private final ScheduledExecutorService scheduler;
    private final Executor io;
    private final LongSupplier nanoTime;
    /** Guarded by {@code this}. */
    private final List<Slot> slots = new ArrayList<>();
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicLong connectionsTotal = new AtomicLong();
    private final AtomicLong bytesUp = new AtomicLong();
    private final AtomicLong bytesDown = new AtomicLong();
    private final AtomicInteger sessionsOpened = new AtomicInteger();
    private boolean closed;

    /**
     * @param what    names the destination in errors and logs, e.g. {@code "db.internal:5432 through i-0abc"}
     * @param opener  starts one more session (StartSession and the data channel); blocking; throws SessionException
     * @param idle    how long an unpinned session may carry nothing before it is closed; zero = never
     */
    SessionPool(String what, Supplier<Session> opener, int max, Duration idle, ScheduledExecutorService scheduler,
                Executor io, LongSupplier nanoTime) {
        if (max < 1) {
            throw new IllegalArgumentException("sessions must be at least 1, got " + max);
        }
        this.what = what;
        this.opener = opener;
        this.max = max;
        this.idleNanos = idle.toNanos();
        this.scheduler = scheduler;
        this.io = io;
        this.nanoTime = nanoTime;
    }

    /** Adds a session opened by the caller; {@code pinned}: never closed for being idle. */
    synchronized void add(Session session, boolean pinned) {
        Slot slot = new Slot(CompletableFuture.completedFuture(session), pinned);
        slots.add(slot);
        sessionsOpened.incrementAndGet();
        watch(slot, session);
        scheduleIdleCheck(slot);
    }

    /**
     * A new connection to the destination, on the least-loaded session (started if need be). Blocks while a session
     * starts, and in basic mode while the chosen session still carries an earlier connection.
     *
     * @throws IOException why no session could carry it; a {@link SessionException} is its cause when one was at fault
     */
    Pooled connect() throws IOException {
        IOException failure = null;
        // A session may end between being chosen and carrying the connection: then try another, once.
        for (int attempt = 0; attempt < 2; attempt++) {
            Slot slot = choose();
            Session session;
            try {
                session = await(slot);
            } catch (IOException e) {
                release(slot);
                throw e;  // trying again at once would meet the same refusal; the next connection tries again
            }
            try {
                TunnelConnection tunnel = session.portsForSocket().connect();
                connections.incrementAndGet();
                connectionsTotal.incrementAndGet();
                return new Pooled(slot, session, tunnel);
            } catch (IOException e) {
                release(slot);
                failure = e;
                if (!session.isEnded()) {
                    throw e;
                }
            }
        }
        throw failure;
    }

    private synchronized Slot choose() throws IOException {
        if (closed) {
            throw new IOException("the sessions to " + what + " are closed");
        }
        slots.removeIf(Slot::dead);
        Slot best = slots.stream().min(Comparator.comparingInt((Slot s) -> s.active)
                .thenComparingInt(s -> s.session.isDone() ? 0 : 1)
                .thenComparingLong(Slot::inFlight)).orElse(null);
        if (best == null || (best.active > 0 && slots.size() < max)) {
            best = startSlot();
        }
        best.active++;
        best.cancelIdleCheck();
        return best;
    }

    /** Lock held. */
    private Slot startSlot() {
        CompletableFuture<Session> started = new CompletableFuture<>();
        Slot slot = new Slot(started, false);
        slots.add(slot);
        io.execute(() -> {
            try {
                Session s = opener.get();
                sessionsOpened.incrementAndGet();
                boolean keep;
                synchronized (this) {
                    keep = !closed;
                }
                if (!keep) {
                    s.close();
                    started.completeExceptionally(new SessionException(SessionException.Reason.CLOSED,
                            "the sessions to " + what + " were closed while one was starting"));
                    return;
                }
                watch(slot, s);
                started.complete(s);
            } catch (RuntimeException e) {
                log.info("Could not open another session to {}: {}", what, e.getMessage());
                synchronized (this) {
                    slots.remove(slot);
                }
                started.completeExceptionally(e);
            }
        });
        return slot;
    }

    /** A session that ends leaves the pool; the next connection that needs one opens another. */
    private void watch(Slot slot, Session session) {
        session.ended().whenComplete((end, failure) -> {
            synchronized (this) {
                slots.remove(slot);
                slot.cancelIdleCheck();
            }
        });
    }

    private Session await(Slot slot) throws IOException {
        try {
            return slot.session.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while opening a session to " + what);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            String message = cause instanceof SessionException se ? se.getMessage() : String.valueOf(cause);
            throw new IOException("cannot open a session to " + what + ": " + message, cause);
        }
    }

    private synchronized void release(Slot slot) {
        slot.active--;
        if (slot.active == 0) {
            slot.idleSince = nanoTime.getAsLong();
            scheduleIdleCheck(slot);
        }
    }

    /** Lock held. */
    private void scheduleIdleCheck(Slot slot) {
        if (slot.pinned || idleNanos <= 0 || closed || slot.active > 0) {
            return;
        }
        slot.idleSince = nanoTime.getAsLong();
        slot.cancelIdleCheck();
        slot.idleCheck = scheduler.schedule(() -> idleCheck(slot), idleNanos, TimeUnit.NANOSECONDS);
    }

    private void idleCheck(Slot slot) {
        Session idle;
        synchronized (this) {
            if (closed || slot.active > 0 || !slots.contains(slot) || !slot.session.isDone()
                    || slot.session.isCompletedExceptionally()) {
                return;
            }
            long waited = nanoTime.getAsLong() - slot.idleSince;
            if (waited < idleNanos) {
                slot.idleCheck = scheduler.schedule(() -> idleCheck(slot), idleNanos - waited, TimeUnit.NANOSECONDS);
                return;
            }
            slots.remove(slot);
            idle = slot.session.join();
        }
        log.info("Closing session {} to {}: no connection for {} s", idle.sessionId(), what, idleNanos / 1_000_000_000L);
        io.execute(idle::close);  // TerminateSession blocks: never on the scheduler
    }

    /** Sessions open or starting now. */
    synchronized int sessions() {
        slots.removeIf(Slot::dead);
        return slots.size();
    }

    /** The sessions open now (not those still starting). */
    synchronized List<Session> openSessions() {
        List<Session> out = new ArrayList<>();
        for (Slot s : slots) {
            if (s.session.isDone() && !s.session.isCompletedExceptionally() && !s.session.join().isEnded()) {
                out.add(s.session.join());
            }
        }
        return out;
    }

    PortForward.Stats stats() {
        return new PortForward.Stats(sessions(), sessionsOpened.get(), connections.get(), connectionsTotal.get(),
                bytesUp.get(), bytesDown.get());
    }

    int maxSessions() {
        return max;
    }

    /** Closes every session (each {@code TerminateSession}), those still starting once they have started. */
    @Override
    public void close() {
        List<Slot> all;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            all = new ArrayList<>(slots);
            slots.clear();
        }
        // TerminateSession for each, at once rather than one after another (a call is a round trip to the service):
        // all but the first on the I/O pool, the first here. The pool may be shut down meanwhile (the manager closes
        // when its last session ends), which would leave a queued close undone: those are done here after a wait.
        List<Session> sessions = new ArrayList<>();
        for (Slot s : all) {
            s.cancelIdleCheck();
            if (s.session.isDone() && !s.session.isCompletedExceptionally()) {
                sessions.add(s.session.join());
            }
            // one still starting is closed by its starter, which sees closed
        }
        Map<Session, CompletableFuture<Void>> others = new LinkedHashMap<>();
        for (Session session : sessions.subList(Math.min(1, sessions.size()), sessions.size())) {
            try {
                others.put(session, CompletableFuture.runAsync(session::close, io));
            } catch (java.util.concurrent.RejectedExecutionException e) {
                others.put(session, CompletableFuture.completedFuture(null));
                session.close();
            }
        }
        if (!sessions.isEmpty()) {
            sessions.get(0).close();
        }
        others.forEach((session, closing) -> {
            try {
                closing.get(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                session.close();
            } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
                session.close();  // closing is idempotent: this one was not (or not fully) done on the pool
            }
        });
    }

    @Override
    public synchronized String toString() {
        return "SessionPool[" + what + ", " + slots.size() + "/" + max + " sessions]";
    }

    private static final class Slot {
        final CompletableFuture<Session> session;
        final boolean pinned;
        int active;
        long idleSince;
        ScheduledFuture<?> idleCheck;

        Slot(CompletableFuture<Session> session, boolean pinned) {
            this.session = session;
            this.pinned = pinned;
        }

        boolean dead() {
            return session.isCompletedExceptionally() || (session.isDone() && session.join().isEnded());
        }

        /** Bytes the session's data channel holds un-acked or not yet sent; 0 while it starts. */
        long inFlight() {
            if (!session.isDone() || session.isCompletedExceptionally()) {
                return 0;
            }
            DataChannelStats stats = session.join().channel().stats();
            return (long) stats.unacked() * 1024 + stats.pendingBytes();
        }

        void cancelIdleCheck() {
            if (idleCheck != null) {
                idleCheck.cancel(false);
                idleCheck = null;
            }
        }
    }

    /** A connection placed by the pool: counts its bytes, and frees its place in the session when closed. */
    final class Pooled implements TunnelConnection {
        private final Slot slot;
        private final Session session;
        private final TunnelConnection tunnel;
        private final long openedNanos = nanoTime.getAsLong();
        private final AtomicBoolean closed = new AtomicBoolean();
        private final AtomicLong up = new AtomicLong();
        private final AtomicLong down = new AtomicLong();

        private Pooled(Slot slot, Session session, TunnelConnection tunnel) {
            this.slot = slot;
            this.session = session;
            this.tunnel = tunnel;
        }

        Session session() {
            return session;
        }

        long bytesUp() {
            return up.get();
        }

        long bytesDown() {
            return down.get();
        }

        Duration age() {
            return Duration.ofNanos(nanoTime.getAsLong() - openedNanos);
        }

        @Override
        public int read(byte[] b, int off, int len, int timeoutMillis) throws IOException {
            int n = tunnel.read(b, off, len, timeoutMillis);
            if (n > 0) {
                down.addAndGet(n);
                bytesDown.addAndGet(n);
            }
            return n;
        }

        @Override
        public void consumed(int n) {
            tunnel.consumed(n);
        }

        @Override
        public int available() {
            return tunnel.available();
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            tunnel.write(b, off, len);
            up.addAndGet(len);
            bytesUp.addAndGet(len);
        }

        @Override
        public void close() {
            tunnel.close();
            if (closed.compareAndSet(false, true)) {
                connections.decrementAndGet();
                release(slot);
            }
        }
    }
}
