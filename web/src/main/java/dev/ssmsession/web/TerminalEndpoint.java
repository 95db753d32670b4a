package dev.ssmsession.web;

import java.io.IOException;

/**
 * The page's side of a {@link WebTerminalBridge}: whatever carries messages to the browser, typically one WebSocket
 * session of your web framework. Implementations may block in the send methods while the browser is not reading
 * (that is how a slow page slows the remote down instead of filling memory); they are called from one thread at a time
 * per method, but {@link #sendBinary} and {@link #sendText} may be called from different threads, so an
 * implementation whose socket is not thread-safe must serialize them.
 */
public interface TerminalEndpoint {
    /** Terminal output (raw bytes as the remote wrote them, possibly ending inside a UTF-8 sequence) as one binary message. */
    void sendBinary(byte[] bytes, int offset, int length) throws IOException;

    /** A control message for the page: a JSON object with a {@code type} (see {@link WebTerminalBridge}). */
    void sendText(String json) throws IOException;

    /** Closes the connection to the page (the session has ended); {@code reason} is short ASCII. */
    void close(int code, String reason);
}
