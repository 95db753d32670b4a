package dev.ssmsession.doctor.internal;

/**
 * A describe call that could not answer: no permission (the caller's IAM identity lacks {@code action}) or any
 * other failure. The check that needed it becomes SKIPPED with {@link #getMessage()} as its reason.
 */
final class Unavailable extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final boolean denied;

    Unavailable(String message, boolean denied, Throwable cause) {
        super(message, cause);
        this.denied = denied;
    }

    boolean denied() {
        return denied;
    }
}
