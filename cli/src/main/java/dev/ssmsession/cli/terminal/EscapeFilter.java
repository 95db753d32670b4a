package dev.ssmsession.cli.terminal;

import java.io.ByteArrayOutputStream;

/**
 * OpenSSH-style escape sequences on the keyboard stream: {@code ~} is only special right after a newline (CR or LF)
 * or at the very start. {@code ~.} disconnects, {@code ~?} prints help, {@code ~~} sends one {@code ~}; a
 * {@code ~} followed by anything else sends both bytes, so nothing typed is lost. Not thread-safe: one keyboard
 * reader feeds it.
 */
final class EscapeFilter {
    static final byte ESCAPE = '~';
    static final String HELP = "Supported escape sequences:\r\n"
            + " ~.   - terminate session\r\n"
            + " ~?   - this message\r\n"
            + " ~~   - send the escape character by typing it twice\r\n"
            + "(Note that escapes are only recognized immediately after newline.)\r\n";

    /** What an escape command asks the relay to do. */
    interface Actions {
        void disconnect();

        void help();
    }

    private final Actions actions;
    private boolean atLineStart = true;
    private boolean escapePending;

    EscapeFilter(Actions actions) {
        this.actions = actions;
    }

    /**
     * Filters typed bytes into {@code out}. Returns false once {@code ~.} was typed: the bytes after it are not
     * forwarded (the session is ending).
     */
    boolean filter(byte[] in, int off, int len, ByteArrayOutputStream out) {
        for (int i = off; i < off + len; i++) {
            byte b = in[i];
            if (escapePending) {
                escapePending = false;
                if (b == '.') {
                    actions.disconnect();
                    return false;
                }
                if (b == '?') {
                    actions.help();
                    continue; // still at line start: "~?~." works as in OpenSSH
                }
                if (b == ESCAPE) {
                    out.write(ESCAPE);
                    atLineStart = false;
                    continue;
                }
                out.write(ESCAPE);
            } else if (b == ESCAPE && atLineStart) {
                escapePending = true;
                continue;
            }
            out.write(b);
            atLineStart = b == '\r' || b == '\n';
        }
        return true;
    }
}
