package dev.ssmsession.protocol.crypto;

/** An encrypted payload that could not be opened: too short, or its tag did not verify. */
public final class PayloadDecryptionException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public PayloadDecryptionException(String message) {
        super(message);
    }

    public PayloadDecryptionException(String message, Throwable cause) {
        super(message, cause);
    }
}
