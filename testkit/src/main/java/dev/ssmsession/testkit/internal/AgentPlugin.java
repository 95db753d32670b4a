package dev.ssmsession.testkit.internal;

/** One session type on the simulated agent (SPEC §8, agent side). */
public interface AgentPlugin {
    /** Starts the session's work (processes, connections, reader threads). */
    void start() throws java.io.IOException;

    /** An in-order, decrypted payload from the client. Called on a WebSocket thread: never block long. */
    void onInput(long payloadType, byte[] payload);

    /** Releases everything; idempotent. */
    void stop();
}
