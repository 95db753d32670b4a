package dev.ssmsession.protocol.handshake;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** The KMS encryption context both ends must build identically (SPEC §5.1, §5.4). */
final class EncryptionContext {
    static final String SESSION_ID = "aws:ssm:SessionId";
    static final String TARGET_ID = "aws:ssm:TargetId";
    static final String RANDOM_CHALLENGE = "aws:ssm:RandomChallenge";

    private EncryptionContext() {
    }

    /** {@code randomChallenge} is the agent's base64 text, verbatim, or null when not in use. */
    static Map<String, String> of(String sessionId, String targetId, String randomChallenge) {
        Map<String, String> context = new LinkedHashMap<>();
        context.put(SESSION_ID, sessionId);
        context.put(TARGET_ID, targetId);
        if (randomChallenge != null) {
            context.put(RANDOM_CHALLENGE, randomChallenge);
        }
        return Collections.unmodifiableMap(context);
    }
}
