package dev.ssmsession.protocol.channel.internal;

/** One sent, un-acked data message: its exact frame (resent unchanged, SPEC §2.1) and its timing. */
public final class Outgoing {
    private final long sequenceNumber;
    private final byte[] frame;
    private final long firstSentNanos;
    private long lastSentNanos;
    private int transmissions = 1;

    public Outgoing(long sequenceNumber, byte[] frame, long sentNanos) {
        this.sequenceNumber = sequenceNumber;
        this.frame = frame;
        this.firstSentNanos = sentNanos;
        this.lastSentNanos = sentNanos;
    }

    public long sequenceNumber() {
        return sequenceNumber;
    }

    public byte[] frame() {
        return frame;
    }

    public long firstSentNanos() {
        return firstSentNanos;
    }

    /** When it was last written; the RTT sample and the resend timer count from here (SPEC §6.3). */
    public long lastSentNanos() {
        return lastSentNanos;
    }

    public int transmissions() {
        return transmissions;
    }

    public void resent(long nowNanos) {
        lastSentNanos = nowNanos;
        transmissions++;
    }
}
