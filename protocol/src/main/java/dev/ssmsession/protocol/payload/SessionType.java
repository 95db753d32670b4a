package dev.ssmsession.protocol.payload;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Optional;

/**
 * The {@code SessionType} values of the handshake's SessionType action (SPEC §4.2). The client
 * runs the shell handler for the three shell-family types and the port handler for {@link #PORT}
 * (SPEC §4.3).
 */
public enum SessionType {
    STANDARD_STREAM("Standard_Stream"),
    PORT("Port"),
    INTERACTIVE_COMMANDS("InteractiveCommands"),
    NON_INTERACTIVE_COMMANDS("NonInteractiveCommands");

    private final String wire;

    SessionType(String wire) {
        this.wire = wire;
    }

    /** The exact text used on the wire. */
    @JsonValue
    public String wire() {
        return wire;
    }

    /** Whether the client handles this type with its shell handler (everything but {@link #PORT}). */
    public boolean shellFamily() {
        return this != PORT;
    }

    /** The constant whose wire text is exactly {@code text}, if any. */
    public static Optional<SessionType> fromWire(String text) {
        for (SessionType t : values()) {
            if (t.wire.equals(text)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }
}
