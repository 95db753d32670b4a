package dev.ssmsession.doctor;

import java.util.Objects;

/**
 * One check of a {@link Report}.
 *
 * @param id     stable identifier for tools ({@code identity}, {@code endpoint-ssmmessages}, {@code network-acl}…)
 * @param title  what was checked, for people
 * @param detail what was found; for {@link Verdict#SKIPPED}, why it could not run
 * @param fix    the exact change that makes it pass (commands, rules, policies); empty when there is nothing to do
 */
public record CheckResult(String id, String title, Verdict verdict, String detail, String fix) {
    public CheckResult {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(verdict, "verdict");
        detail = detail == null ? "" : detail;
        fix = fix == null ? "" : fix;
    }
}
