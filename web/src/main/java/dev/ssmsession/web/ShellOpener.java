package dev.ssmsession.web;

import dev.ssmsession.client.ShellSession;

/** Opens the shell a page asked for; e.g. {@code sessionManager::shell}. */
@FunctionalInterface
public interface ShellOpener {
    /**
     * @param target the managed node the page chose (or the server's fixed target)
     * @param cols   the page's terminal width in columns
     * @param rows   the page's terminal height in rows
     * @throws RuntimeException when the session cannot be started; its message is shown in the page, so it must say
     *     what went wrong without secrets ({@link dev.ssmsession.client.SessionException}s qualify)
     */
    ShellSession open(String target, int cols, int rows);
}
