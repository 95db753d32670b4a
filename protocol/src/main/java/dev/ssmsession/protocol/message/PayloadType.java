package dev.ssmsession.protocol.message;

import java.util.Optional;

/** The uint32 PayloadType at offset 112 (SPEC §3.2). */
public enum PayloadType {
    /** Acks and control messages. */
    NONE(0),
    /** Raw terminal, TCP or smux bytes; encrypted when KMS is on. */
    OUTPUT(1),
    /** Defined, unused by both sides. */
    ERROR(2),
    /** Terminal size JSON, client to agent. */
    SIZE(3),
    /** Defined, unused. */
    PARAMETER(4),
    HANDSHAKE_REQUEST(5),
    HANDSHAKE_RESPONSE(6),
    HANDSHAKE_COMPLETE(7),
    ENC_CHALLENGE_REQUEST(8),
    ENC_CHALLENGE_RESPONSE(9),
    /** A 4-byte big-endian flag value. */
    FLAG(10),
    /** Command stderr, agent to client; encrypted when KMS is on. */
    STDERR(11),
    /** {@code EXIT_CODE: n}, agent to client; encrypted when KMS is on. */
    EXIT_CODE(12);

    private static final PayloadType[] BY_WIRE = values();

    private final int wire;

    PayloadType(int wire) {
        this.wire = wire;
    }

    /** The value carried on the wire. */
    public int wire() {
        return wire;
    }

    /** The constant for a wire value, if it is one this enum knows. */
    public static Optional<PayloadType> fromWire(long value) {
        return value >= 0 && value < BY_WIRE.length ? Optional.of(BY_WIRE[(int) value]) : Optional.empty();
    }
}
