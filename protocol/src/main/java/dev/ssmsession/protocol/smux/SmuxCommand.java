package dev.ssmsession.protocol.smux;

import java.util.Optional;

/** The smux command byte (SPEC §10.2). */
public enum SmuxCommand {
    /** Open a stream; no data. */
    SYN(0, SmuxVersion.V1),
    /** The sender will send no more on the stream; no data. */
    FIN(1, SmuxVersion.V1),
    /** Stream data. */
    PSH(2, SmuxVersion.V1),
    /** Keepalive, stream id 0; no data. */
    NOP(3, SmuxVersion.V1),
    /** Window update: consumed uint32 LE + window uint32 LE. Version 2 only. */
    UPD(4, SmuxVersion.V2);

    private static final SmuxCommand[] BY_WIRE = values();

    private final int wire;
    private final SmuxVersion since;

    SmuxCommand(int wire, SmuxVersion since) {
        this.wire = wire;
        this.since = since;
    }

    /** The value of header byte 1. */
    public int wire() {
        return wire;
    }

    /** Whether a session of {@code version} may send or receive this command. */
    public boolean existsIn(SmuxVersion version) {
        return version.wire() >= since.wire();
    }

    /** The command with wire value {@code wire} in {@code version}, if it exists there. */
    public static Optional<SmuxCommand> fromWire(int wire, SmuxVersion version) {
        if (wire < 0 || wire >= BY_WIRE.length || !BY_WIRE[wire].existsIn(version)) {
            return Optional.empty();
        }
        return Optional.of(BY_WIRE[wire]);
    }
}
