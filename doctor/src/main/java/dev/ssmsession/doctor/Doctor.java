package dev.ssmsession.doctor;

import dev.ssmsession.client.SessionManager;
import dev.ssmsession.client.SessionRequest;
import dev.ssmsession.doctor.internal.Diagnosis;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Says why a target cannot be reached with Session Manager and what to change: identity and region, managed-node
 * status, the instance, its subnet's route and DNS, the VPC endpoints the agent needs, security groups and network
 * ACLs both ways, the instance role, the caller's permission, this machine's path to the endpoints, and a real
 * session. Every AWS call uses the {@link SessionManager}'s own configuration (region, credentials, endpoints,
 * proxy, CA bundle). A call the caller may not make leaves its check {@link Verdict#SKIPPED}, never guessed.
 *
 * <pre>{@code
 * try (SessionManager ssm = SessionManager.builder().profile("prod").build()) {
 *     Report r = Doctor.builder(ssm).build().diagnose("i-0123456789abcdef0");
 *     r.checks().forEach(c -> System.out.println(c.verdict() + " " + c.title() + ": " + c.detail()));
 * }
 * }</pre>
 */
public final class Doctor {
    private static final Pattern TARGET = Pattern.compile("(i-[0-9a-f]{8}([0-9a-f]{9})?|mi-[0-9a-f]{17}|ecs:.+)");

    private final SessionManager manager;
    private final boolean session;
    private final String documentName;
    private final Clock clock;
    private final Duration connectTimeout;
    private final Duration sessionTimeout;

    private Doctor(Builder b) {
        this.manager = b.manager;
        this.session = b.session;
        this.documentName = b.documentName;
        this.clock = b.clock;
        this.connectTimeout = b.connectTimeout;
        this.sessionTimeout = b.sessionTimeout;
    }

    /** @param manager whose configuration every check uses; the doctor does not close it */
    public static Builder builder(SessionManager manager) {
        return new Builder(manager);
    }

    /**
     * Runs every check on {@code target}.
     *
     * @throws IllegalArgumentException when {@code target} is no instance ({@code i-…}), managed node ({@code mi-…}) or
     *     ECS ({@code ecs:…}) id
     */
    public Report diagnose(String target) {
        return diagnose(target, r -> { });
    }

    /** As {@link #diagnose(String)}, telling {@code progress} of each result as soon as it is known. */
    public Report diagnose(String target, Consumer<CheckResult> progress) {
        Objects.requireNonNull(target, "target");
        if (!TARGET.matcher(target).matches()) {
            throw new IllegalArgumentException("target '" + target + "' is not an instance id (i-0123456789abcdef0), a "
                    + "managed node id (mi-…) or an ECS target (ecs:…)");
        }
        return new Diagnosis(manager, clock, connectTimeout, sessionTimeout).run(target, documentName, session, progress);
    }

    public static final class Builder {
        private final SessionManager manager;
        private boolean session = true;
        private String documentName = SessionRequest.SHELL_DOCUMENT;
        private Clock clock = Clock.systemUTC();
        private Duration connectTimeout = Duration.ofSeconds(5);
        private Duration sessionTimeout = Duration.ofSeconds(40);

        private Builder(SessionManager manager) {
            this.manager = Objects.requireNonNull(manager, "manager");
        }

        /** Whether to end with a real StartSession / TerminateSession (default true). */
        public Builder session(boolean run) {
            this.session = run;
            return this;
        }

        /** The session document whose use the caller-permission and session checks test (default the shell's). */
        public Builder documentName(String name) {
            this.documentName = Objects.requireNonNull(name, "name");
            return this;
        }

        /** Times the session check's round trip. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** How long one TCP connect or TLS handshake of the reachability check may take (default 5 s). */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /** How long the session check waits for the agent's handshake (default 40 s, beyond the agent's own 30 s). */
        public Builder sessionTimeout(Duration timeout) {
            this.sessionTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        public Doctor build() {
            return new Doctor(this);
        }
    }
}
