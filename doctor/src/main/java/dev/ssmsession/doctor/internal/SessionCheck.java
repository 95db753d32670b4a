package dev.ssmsession.doctor.internal;

import static dev.ssmsession.doctor.internal.Checks.fail;
import static dev.ssmsession.doctor.internal.Checks.pass;
import static dev.ssmsession.doctor.internal.Checks.skipped;

import dev.ssmsession.client.Session;
import dev.ssmsession.client.SessionException;
import dev.ssmsession.client.SessionInfo;
import dev.ssmsession.client.SessionManager;
import dev.ssmsession.client.SessionRequest;
import dev.ssmsession.doctor.CheckResult;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/** Check 8: a real StartSession, data channel and handshake, then TerminateSession. */
final class SessionCheck {
    private final SessionManager manager;
    private final Clock clock;
    private final Duration timeout;

    SessionCheck(SessionManager manager, Clock clock, Duration timeout) {
        this.manager = manager;
        this.clock = clock;
        this.timeout = timeout;
    }

    CheckResult run(String target, String documentName, boolean enabled) {
        String id = "session";
        String title = "StartSession / TerminateSession round trip";
        if (!enabled) {
            return skipped(id, title, "not run (--no-session)");
        }
        Instant start = clock.instant();
        String sessionId = null;
        try (Session session = manager.start(SessionRequest.builder(target).documentName(documentName).reason("ssm-session doctor").build())) {
            sessionId = session.sessionId();
            SessionInfo info = session.awaitInfo(timeout);
            long millis = Duration.between(start, clock.instant()).toMillis();
            return pass(id, title, "session " + sessionId + " opened (" + info.sessionType() + ", agent " + info.agentVersion()
                    + ", handshake done in " + millis + " ms) and terminated");
        } catch (SessionException e) {
            String fix = switch (e.reason()) {
                case TARGET_NOT_CONNECTED -> "the agent is not connected: fix the failed checks above (managed node, "
                        + "endpoints, groups, ACLs, instance role)";
                case ACCESS_DENIED -> "grant ssm:StartSession on the target and " + documentName + " (see caller-permission)";
                case CONNECTION_LOST, PROTOCOL -> "StartSession worked but the data channel did not: check that this "
                        + "machine reaches ssmmessages (client-reachability) and any proxy in between";
                default -> "";
            };
            return fail(id, title, (sessionId == null ? "StartSession failed: " : "session " + sessionId + " failed: ")
                    + e.getMessage(), fix);
        }
    }
}
