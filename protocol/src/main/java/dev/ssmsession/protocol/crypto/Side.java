package dev.ssmsession.protocol.crypto;

/** Which end of the data channel a cipher or handshake belongs to. */
public enum Side {
    CLIENT,
    AGENT;

    /** The direction of what this side sends. */
    public Direction outgoing() {
        return this == CLIENT ? Direction.CLIENT_TO_AGENT : Direction.AGENT_TO_CLIENT;
    }

    /** The direction of what this side receives. */
    public Direction incoming() {
        return this == CLIENT ? Direction.AGENT_TO_CLIENT : Direction.CLIENT_TO_AGENT;
    }
}
