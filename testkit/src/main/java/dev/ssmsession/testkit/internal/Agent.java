package dev.ssmsession.testkit.internal;

import dev.ssmsession.protocol.message.ClientMessage;

/** The agent end of a session: simulated, or scripted from a transcript. */
public interface Agent {
    /** The client attached for the first time (later attaches are reconnects and change nothing). */
    void start();

    /** A valid frame from the client, after the service's relay. */
    void onFrame(ClientMessage m);

    /** Stops everything now; idempotent. */
    void stop();

    /** The ClientVersion from the handshake response, if one arrived. */
    String clientVersion();
}
