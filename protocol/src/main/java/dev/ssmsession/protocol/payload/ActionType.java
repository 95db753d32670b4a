package dev.ssmsession.protocol.payload;

import java.util.Optional;

/**
 * The handshake action types this implementation understands (SPEC §4.2). Records keep the raw
 * text so that an action type added by a newer agent survives parsing and can be answered with
 * "Unsupported" (SPEC §4.3).
 */
public enum ActionType {
    SESSION_TYPE("SessionType"),
    KMS_ENCRYPTION("KMSEncryption");

    private final String wire;

    ActionType(String wire) {
        this.wire = wire;
    }

    /** The exact text used on the wire. */
    public String wire() {
        return wire;
    }

    /** The constant whose wire text is exactly {@code text}, if any. */
    public static Optional<ActionType> fromWire(String text) {
        for (ActionType t : values()) {
            if (t.wire.equals(text)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }
}
