package dev.ssmsession.testkit.internal;

import java.util.OptionalInt;

/** Dotted numeric version comparison for the agent's version gates (SPEC §8.6). */
public final class Versions {
    private Versions() {
    }

    /**
     * Compares component by component, missing components counting as 0.
     *
     * @return empty when either side is not a dotted list of non-negative integers
     */
    public static OptionalInt compare(String a, String b) {
        if (a == null || b == null) {
            return OptionalInt.empty();
        }
        String[] x = a.trim().split("\\.");
        String[] y = b.trim().split("\\.");
        try {
            for (int i = 0; i < Math.max(x.length, y.length); i++) {
                long p = i < x.length ? Long.parseLong(x[i]) : 0;
                long q = i < y.length ? Long.parseLong(y[i]) : 0;
                if (p < 0 || q < 0) {
                    return OptionalInt.empty();
                }
                if (p != q) {
                    return OptionalInt.of(p < q ? -1 : 1);
                }
            }
            return OptionalInt.of(0);
        } catch (NumberFormatException e) {
            return OptionalInt.empty();
        }
    }

    public static boolean atLeast(String version, String min) {
        OptionalInt c = compare(version, min);
        return c.isPresent() && c.getAsInt() >= 0;
    }

    public static boolean greaterThan(String version, String min) {
        OptionalInt c = compare(version, min);
        return c.isPresent() && c.getAsInt() > 0;
    }
}
