package dev.ssmsession.doctor;

/** What one check found. Only {@link #FAIL} means a session will not work. */
public enum Verdict {
    /** Checked, and fine. */
    PASS("pass"),
    /** Works, but fragile or costly (e.g. traffic crossing availability zones); worth a look. */
    WARN("warn"),
    /** Checked, and broken: the check says what to change. */
    FAIL("fail"),
    /** Could not be checked (no permission, an earlier check failed, not applicable): never a guess. */
    SKIPPED("skipped");

    private final String wire;

    Verdict(String wire) {
        this.wire = wire;
    }

    /** The value in JSON reports. */
    public String wire() {
        return wire;
    }
}
