package dev.ssmsession.protocol.payload;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** {@code ActionStatus} of a processed handshake action (SPEC §4.3). The agent treats anything but 1 as fatal. */
public enum ActionStatus {
    SUCCESS(1),
    FAILED(2),
    UNSUPPORTED(3);

    private final int wire;

    ActionStatus(int wire) {
        this.wire = wire;
    }

    /** The number used on the wire. */
    @JsonValue
    public int wire() {
        return wire;
    }

    /**
     * The constant for a wire value.
     *
     * @throws PayloadFormatException for any other value (the Go client's bug sends 0, SPEC §4.3)
     */
    @JsonCreator
    public static ActionStatus fromWire(int value) {
        for (ActionStatus s : values()) {
            if (s.wire == value) {
                return s;
            }
        }
        throw new PayloadFormatException("unknown ActionStatus " + value + " (expected 1, 2 or 3)");
    }
}
