package dev.ssmsession.doctor;

import java.util.List;
import java.util.Optional;

/**
 * The doctor's findings for one target, in the order the checks ran.
 *
 * @param target the target diagnosed
 * @param region the region the client (and so every check) uses
 */
public record Report(String target, String region, List<CheckResult> checks) {
    public Report {
        checks = List.copyOf(checks);
    }

    /** True when no check failed: as far as the doctor can tell, a session would work. */
    public boolean sessionWouldWork() {
        return checks.stream().noneMatch(c -> c.verdict() == Verdict.FAIL);
    }

    public Optional<CheckResult> check(String id) {
        return checks.stream().filter(c -> c.id().equals(id)).findFirst();
    }

    public long count(Verdict verdict) {
        return checks.stream().filter(c -> c.verdict() == verdict).count();
    }
}
