package dev.ssmsession.cli.session;

import java.io.InputStream;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;

/** A non-interactive command: stdout and stderr kept apart, and its exit code (SPEC §3.6). */
public interface RemoteCommand {
    String sessionId();

    InputStream stdout();

    InputStream stderr();

    /** Completes with the command's exit code when the agent reported one. */
    CompletableFuture<OptionalInt> completion();

    /**
     * Sends Ctrl-C (byte 0x03) as input: for NonInteractiveCommands the agent turns it into SIGINT for the command
     * (SPEC §8.1), whose exit code then still comes back.
     */
    void interrupt();

    /** Ends the session from this side (sends the interrupt the agent understands, then terminates). */
    void terminate();
}
