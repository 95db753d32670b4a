package dev.ssmsession.protocol.smux;

/** The smux protocol version byte (SPEC §10.1). Session Manager uses version 1 (SPEC §8.4). */
public enum SmuxVersion {
    /** No per-stream window; a session-level receive bucket only. */
    V1(1),
    /** Adds per-stream sliding windows with UPD frames. */
    V2(2);

    private final int wire;

    SmuxVersion(int wire) {
        this.wire = wire;
    }

    /** The value of header byte 0. */
    public int wire() {
        return wire;
    }

    /**
     * The version with wire value {@code wire}.
     *
     * @throws IllegalArgumentException naming the value if it is neither 1 nor 2
     */
    public static SmuxVersion fromWire(int wire) {
        for (SmuxVersion v : values()) {
            if (v.wire == wire) {
                return v;
            }
        }
        throw new IllegalArgumentException("smux version must be 1 or 2, got " + wire);
    }
}
