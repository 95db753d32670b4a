package dev.ssmsession.client;

import java.time.Duration;
import java.time.Instant;

/**
 * What happens to a session's data channel while the session is open: lost and being re-established
 * ({@code ResumeSession} and a new WebSocket, retried with backoff until the reconnect deadline), back,
 * or given up. Set one for every session of a manager ({@link SessionManager.Builder#connectionListener})
 * or for one session ({@link Session#addConnectionListener}).
 *
 * <p>Called on the manager's executor, never on a WebSocket or scheduler thread; one event at a time per
 * session, in order. Implementations should be quick; an exception they throw is logged and ignored.
 * Every method has an empty default.
 */
public interface ConnectionListener {
    /**
     * Attempt {@code attempt} to re-establish the data channel starts now: attempt 1 the moment the loss
     * was noticed, later ones after a backoff (at most a few seconds apart).
     *
     * @param sessionId the session whose channel is down
     * @param attempt   1, 2, … within this outage
     * @param deadline  when reconnecting gives up and the session fails (wall clock)
     * @param cause     why the channel was lost (attempt 1), or why the previous attempt failed
     */
    default void onReconnecting(String sessionId, int attempt, Instant deadline, String cause) {
    }

    /**
     * The data channel is back; data not acknowledged before the loss is being resent.
     *
     * @param downtime from the loss to the new channel being open
     */
    default void onReconnected(String sessionId, Duration downtime) {
    }

    /**
     * Reconnecting gave up (deadline passed, or the service ended or refused the session); the session
     * ends with {@code reason}, as {@link Session#ended()} reports too.
     */
    default void onReconnectFailed(String sessionId, SessionException reason) {
    }
}
