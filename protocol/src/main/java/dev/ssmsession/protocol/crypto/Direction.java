package dev.ssmsession.protocol.crypto;

/** Direction of a data-channel message. */
public enum Direction {
    /** {@code input_stream_data}. */
    CLIENT_TO_AGENT,
    /** {@code output_stream_data}. */
    AGENT_TO_CLIENT
}
