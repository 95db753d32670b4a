package dev.ssmsession.cli.terminal;

/**
 * Enter as the remote PTY expects it: a read of exactly one LF is a keystroke (a terminal whose line discipline
 * maps CR to LF, or a pipe fed one key at a time) and goes out as CR (SPEC §8.1, §6.1). Longer reads are data, a
 * paste or a script, and keep their bytes. The library sends bytes as given; this translation belongs to the
 * front end that reads keys.
 */
final class EnterKey {
    private EnterKey() {
    }

    /** Rewrites {@code b[off]} in place when {@code len} is 1 and it is LF. */
    static void asCarriageReturn(byte[] b, int off, int len) {
        if (len == 1 && b[off] == '\n') {
            b[off] = '\r';
        }
    }
}
