package dev.ssmsession.testkit.internal;

import java.nio.file.Path;
import java.time.Duration;

/**
 * How the simulated agent behaves for every session of one testkit.
 *
 * @param agentVersion           the AgentVersion in handshakes; drives the client's version gates
 * @param kmsKeyId               the KMSKeyId to request for shell-family sessions, or null for none
 * @param requireChallengeAck    refuse KMS clients that do not acknowledge the RandomChallenge
 * @param shell                  the shell run on a PTY
 * @param workingDirectory       where shells and commands start
 * @param handshakeTimeout       how long the agent waits for each handshake answer (15 s in the agent)
 */
public record AgentSettings(String agentVersion, String kmsKeyId, boolean requireChallengeAck,
                            String shell, Path workingDirectory, Duration handshakeTimeout) {
}
