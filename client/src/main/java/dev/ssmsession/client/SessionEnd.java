package dev.ssmsession.client;

import java.util.OptionalInt;

/**
 * How a session ended without error: the service closed the channel (the remote shell exited, the
 * session was terminated, it timed out idle…) or this side closed it.
 *
 * @param sessionId the session id
 * @param exitCode  the command's exit status from the ExitCode payload (SPEC §3.6), when the
 *                  agent sent one
 * @param message   the service's {@code channel_closed} Output text, or a note that this side closed it
 * @param closedLocally whether {@code close()} on this side ended it
 */
public record SessionEnd(String sessionId, OptionalInt exitCode, String message, boolean closedLocally) {
}
