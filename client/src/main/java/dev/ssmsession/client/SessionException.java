package dev.ssmsession.client;

import java.util.Objects;

/**
 * Everything that goes wrong in this library surfaces as this unchecked exception. The message
 * says what happened and what to do about it; {@link #reason()} lets callers branch without
 * parsing text. Messages never contain a token, key or credential.
 */
public final class SessionException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Broad cause of a failure. */
    public enum Reason {
        /** Bad local configuration (region, endpoint, proxy, CA bundle, version string…). */
        CONFIGURATION,
        /** No credentials could be resolved, or they expired. */
        CREDENTIALS,
        /** The caller's IAM identity lacks a permission. */
        ACCESS_DENIED,
        /** The target is not connected to Session Manager. */
        TARGET_NOT_CONNECTED,
        /** The session document or its parameters were rejected. */
        INVALID_REQUEST,
        /** The session does not exist (any more). */
        SESSION_NOT_FOUND,
        /** AWS throttled the call. */
        THROTTLED,
        /** The session timed out on the service side (ResumeSession returned no token). */
        SESSION_TIMED_OUT,
        /** The WebSocket to ssmmessages could not be (re)established before the deadline. */
        CONNECTION_LOST,
        /** The peer broke the protocol, the handshake failed, or data could not be decrypted. */
        PROTOCOL,
        /** KMS could not produce a data key for an encrypted session. */
        KMS,
        /**
         * A wait the caller asked for ({@code awaitInfo}, {@code awaitEnd}, {@code run}) ran out of
         * time. The session itself may be fine ({@code run} closes it).
         */
        TIMEOUT,
        /** The session was closed (locally, or by the service with {@code channel_closed}). */
        CLOSED,
        /** Anything else an AWS service reported. */
        SERVICE
    }

    private final Reason reason;

    public SessionException(Reason reason, String message) {
        super(message);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public SessionException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public Reason reason() {
        return reason;
    }
}
