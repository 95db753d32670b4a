package dev.ssmsession.testkit.internal;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.Function;

/**
 * Everything a {@link LocalService} needs, fixed at start.
 *
 * @param targets        target id → online (offline targets answer TargetNotConnected)
 * @param rateLimit      messages per second per direction, 0 for none
 * @param idleTimeout    no client input for this long ends the session; null for never
 * @param relayFactory   fault injection per session; {@link FrameRelay#PASS_THROUGH} for none
 * @param transcriptDir  where to write one JSON-lines transcript per session; null for none
 * @param replay         when set, every session is served by a {@link ScriptedAgent} replaying it
 */
public record ServiceConfig(String region, String account, String accessKeyId, String secretAccessKey, Map<String, Boolean> targets, AgentSettings agent,
                            boolean requireSigV4, int rateLimit, Duration idleTimeout, int maxFrameSize,
                            long seed, Function<ServiceSession, FrameRelay> relayFactory, Path transcriptDir,
                            dev.ssmsession.testkit.Transcript replay) {
}
