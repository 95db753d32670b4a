package dev.ssmsession.testkit;

/** Which way a frame travels through the local service; transcripts write it as {@code client} / {@code agent}. */
public enum FrameDirection {
    CLIENT_TO_AGENT("client"), AGENT_TO_CLIENT("agent");

    private final String wire;

    FrameDirection(String wire) {
        this.wire = wire;
    }

    /** The text in a transcript's {@code dir} field. */
    public String wire() {
        return wire;
    }

    /**
     * @throws IllegalArgumentException naming the text when it is neither {@code client} nor {@code agent}
     */
    public static FrameDirection of(String text) {
        for (FrameDirection d : values()) {
            if (d.wire.equals(text)) {
                return d;
            }
        }
        throw new IllegalArgumentException("transcript direction '" + text + "' is not client or agent");
    }
}
