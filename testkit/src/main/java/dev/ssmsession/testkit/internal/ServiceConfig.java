package dev.ssmsession.testkit.internal;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.Function;

/**
 * Everything a {@link LocalService} needs, fixed at start.
 *
 * @param sessionToken   issued with the access key; API calls must carry it (null: long-term key)
 * @param targets        target id → online (offline targets answer TargetNotConnected)
 * @param requireSigV4   refuse WebSocket upgrades that are not validly signed
 * @param acceptUnsignedApiCalls serve API calls with no Authorization header (signed ones are still verified)
 * @param rateLimit      messages per second per direction, 0 for none
 * @param idleTimeout    no client input for this long ends the session; null for never
 * @param relayFactory   fault injection per session; {@link FrameRelay#PASS_THROUGH} for none
 * @param transcriptDir  where to write one JSON-lines transcript per session; null for none
 * @param replay         when set, every session is served by a {@link ScriptedAgent} replaying it
 * @param targetNames    target id → the {@code Name} DescribeInstanceInformation reports (targets without one have none)
 * @param awsAccount     the account behind the EC2, IAM and STS stand-ins and the SSM account calls; null for none
 */
public record ServiceConfig(String region, String account, String accessKeyId, String secretAccessKey, String sessionToken,
                            Map<String, Boolean> targets, AgentSettings agent,
                            boolean requireSigV4, boolean acceptUnsignedApiCalls, int rateLimit, Duration idleTimeout, int maxFrameSize,
                            long seed, Function<ServiceSession, FrameRelay> relayFactory, Path transcriptDir,
                            dev.ssmsession.testkit.Transcript replay, Map<String, String> targetNames,
                            dev.ssmsession.testkit.Account awsAccount) {

    /** Without target names and without an account: no EC2, IAM or STS. */
    public ServiceConfig(String region, String account, String accessKeyId, String secretAccessKey, String sessionToken,
                         Map<String, Boolean> targets, AgentSettings agent,
                         boolean requireSigV4, boolean acceptUnsignedApiCalls, int rateLimit, Duration idleTimeout,
                         int maxFrameSize, long seed, Function<ServiceSession, FrameRelay> relayFactory, Path transcriptDir,
                         dev.ssmsession.testkit.Transcript replay) {
        this(region, account, accessKeyId, secretAccessKey, sessionToken, targets, agent, requireSigV4,
                acceptUnsignedApiCalls, rateLimit, idleTimeout, maxFrameSize, seed, relayFactory, transcriptDir, replay,
                Map.of(), null);
    }
}
