package dev.ssmsession.testkit.internal;

import dev.ssmsession.protocol.message.PayloadType;

/** What an agent plugin may do: send sequenced output and end the session. */
public interface AgentOutput {
    /**
     * Sends one payload to the client, blocking while the agent's window is full.
     *
     * @throws IllegalStateException once the session has ended
     */
    void send(PayloadType type, byte[] payload);

    /** Ends the session once everything sent so far is acknowledged; {@code reason} goes to channel_closed. */
    void end(String reason);
}
