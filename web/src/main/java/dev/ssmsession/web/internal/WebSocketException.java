package dev.ssmsession.web.internal;

import java.io.IOException;

/** A peer broke RFC 6455 (or a limit); the connection is closed with {@link #closeCode()}. */
public final class WebSocketException extends IOException {
    private static final long serialVersionUID = 1L;
    private final int closeCode;

    public WebSocketException(int closeCode, String message) {
        super(message);
        this.closeCode = closeCode;
    }

    public int closeCode() {
        return closeCode;
    }
}
