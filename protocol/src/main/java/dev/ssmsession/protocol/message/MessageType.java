package dev.ssmsession.protocol.message;

import java.util.Optional;

/**
 * The MessageType strings of SPEC §3.1 that a client sends or acts on. The wire field is free
 * text, so {@link ClientMessage} keeps the raw string; this enum names the ones with meaning.
 */
public enum MessageType {
    /** Sequenced data, client to agent. */
    INPUT_STREAM_DATA("input_stream_data"),
    /** Sequenced data, agent to client. */
    OUTPUT_STREAM_DATA("output_stream_data"),
    /** Acknowledgement of one data message, both directions. */
    ACKNOWLEDGE("acknowledge"),
    /** The service ends the session. */
    CHANNEL_CLOSED("channel_closed"),
    /** The remote side is active again; exempt from validation. */
    START_PUBLICATION("start_publication"),
    /** The remote side is inactive, stop sending; exempt from validation. */
    PAUSE_PUBLICATION("pause_publication");

    private final String wire;

    MessageType(String wire) {
        this.wire = wire;
    }

    /** The exact text carried in the 32-byte MessageType field. */
    public String wire() {
        return wire;
    }

    /** The enum constant whose wire text is {@code text}, if any. */
    public static Optional<MessageType> fromWire(String text) {
        for (MessageType t : values()) {
            if (t.wire.equals(text)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }
}
