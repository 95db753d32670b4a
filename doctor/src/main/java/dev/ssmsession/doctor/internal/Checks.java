package dev.ssmsession.doctor.internal;

import dev.ssmsession.doctor.CheckResult;
import dev.ssmsession.doctor.Verdict;

/** Building {@link CheckResult}s tersely. */
final class Checks {
    private Checks() {
    }

    static CheckResult pass(String id, String title, String detail) {
        return new CheckResult(id, title, Verdict.PASS, detail, "");
    }

    static CheckResult warn(String id, String title, String detail, String fix) {
        return new CheckResult(id, title, Verdict.WARN, detail, fix);
    }

    static CheckResult fail(String id, String title, String detail, String fix) {
        return new CheckResult(id, title, Verdict.FAIL, detail, fix);
    }

    static CheckResult skipped(String id, String title, String reason) {
        return new CheckResult(id, title, Verdict.SKIPPED, reason, "");
    }

    static CheckResult skipped(String id, String title, String reason, String fix) {
        return new CheckResult(id, title, Verdict.SKIPPED, reason, fix);
    }

    /** A check that could not run because a call it needed was refused or failed. */
    static CheckResult skipped(String id, String title, Unavailable why) {
        return new CheckResult(id, title, Verdict.SKIPPED, why.getMessage(),
                why.denied() ? "grant the doctor's IAM identity the permission named (see the README's doctor section)" : "");
    }
}
