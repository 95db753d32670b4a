package dev.ssmsession.client.internal;

import dev.ssmsession.client.ConnectionListener;
import dev.ssmsession.client.SessionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Hands one session's {@link DataChannelTransport.Observer} events to its {@link ConnectionListener}s on
 * the manager's executor, one at a time and in order (the transport calls from the WebSocket reader or
 * a reconnect thread, where user code must not run).
 */
public final class ConnectionEvents implements DataChannelTransport.Observer {
    private static final Logger log = LoggerFactory.getLogger(ConnectionEvents.class);

    private final String sessionId;
    private final SerialExecutor serial;
    private final LongSupplier nanoTime;
    private final List<ConnectionListener> listeners = new CopyOnWriteArrayList<>();
    /** The last deadline reported, so that every attempt of one outage shows the same instant. */
    private long deadlineNanos;
    private Instant deadline;

    public ConnectionEvents(String sessionId, Executor executor, LongSupplier nanoTime) {
        this.sessionId = Objects.requireNonNull(sessionId, "sessionId");
        this.serial = new SerialExecutor(Objects.requireNonNull(executor, "executor"), false);
        this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
    }

    public void add(ConnectionListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    @Override
    public void reconnecting(int attempt, long deadlineAtNanos, String cause) {
        Instant at = wallClock(deadlineAtNanos);
        dispatch(l -> l.onReconnecting(sessionId, attempt, at, cause));
    }

    @Override
    public void reconnected(long downNanos) {
        Duration down = Duration.ofNanos(Math.max(0, downNanos));
        dispatch(l -> l.onReconnected(sessionId, down));
    }

    @Override
    public void gaveUp(SessionException reason) {
        dispatch(l -> l.onReconnectFailed(sessionId, reason));
    }

    private synchronized Instant wallClock(long deadlineAtNanos) {
        if (deadline == null || deadlineAtNanos != deadlineNanos) {
            deadlineNanos = deadlineAtNanos;
            deadline = Instant.now().plusNanos(deadlineAtNanos - nanoTime.getAsLong());
        }
        return deadline;
    }

    private void dispatch(Consumer<ConnectionListener> event) {
        if (listeners.isEmpty()) {
            return;
        }
        // Dropped once the manager's executor is gone: nobody is left to tell.
        serial.execute(() -> {
            for (ConnectionListener l : listeners) {
                try {
                    event.accept(l);
                } catch (RuntimeException e) {
                    log.warn("ConnectionListener {} of session {} threw: {}", l, sessionId, e.toString());
                }
            }
        });
    }
}
