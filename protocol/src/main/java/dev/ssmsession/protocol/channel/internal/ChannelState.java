package dev.ssmsession.protocol.channel.internal;

import dev.ssmsession.protocol.crypto.PayloadCipher;

/**
 * What both directions of one data channel read and change: whether it is still open, whether the
 * service paused publication (SPEC §3.1), whether the transport is up, and the cipher once the
 * handshake turned encryption on (SPEC §5.5).
 */
public final class ChannelState {

    /** OPEN until the service closes the channel (SPEC §3.4) or it fails (give-up, decryption). */
    public enum Phase { OPEN, CLOSED, FAILED }

    private Phase phase = Phase.OPEN;
    private boolean paused;
    private boolean transportDown;
    private PayloadCipher cipher;

    public Phase phase() {
        return phase;
    }

    public boolean isOpen() {
        return phase == Phase.OPEN;
    }

    public void close() {
        phase = Phase.CLOSED;
    }

    public void fail() {
        phase = Phase.FAILED;
    }

    public boolean paused() {
        return paused;
    }

    /** Returns whether this changed anything, so the listener hears of a pause once. */
    public boolean pause() {
        boolean changed = !paused;
        paused = true;
        return changed;
    }

    /** Returns whether this changed anything, so the listener hears of a resumption once. */
    public boolean resume() {
        boolean changed = paused;
        paused = false;
        return changed;
    }

    public boolean transportDown() {
        return transportDown;
    }

    public void transportDown(boolean down) {
        transportDown = down;
    }

    /** Data (new or resent) may be written: not paused, transport up. Acks need only the transport. */
    public boolean maySendData() {
        return !paused && !transportDown;
    }

    /** The cipher, or {@code null} while encryption is off. */
    public PayloadCipher cipher() {
        return cipher;
    }

    public void cipher(PayloadCipher cipher) {
        this.cipher = cipher;
    }
}
