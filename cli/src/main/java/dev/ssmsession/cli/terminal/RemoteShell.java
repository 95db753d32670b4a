package dev.ssmsession.cli.terminal;

/**
 * What the terminal front end needs from an interactive session: a byte sink to the remote, the remote's output
 * in order, resize, and completion. The CLI adapts the client library's shell session to this, which keeps the
 * relay testable without a network.
 */
public interface RemoteShell extends RemoteStream {
    /** The terminal now has this size (SPEC §3.5). */
    void resize(int cols, int rows);
}
