package dev.ssmsession.cli.plugin;

import dev.ssmsession.cli.terminal.StatusPrintStream;
import java.io.PrintStream;
import java.util.Map;

/** The production {@link SessionAttacher}: the client library. */
final class DefaultAttacher {
    private DefaultAttacher() {}

    static SessionAttacher create(Map<String, String> env, PrintStream out, StatusPrintStream status) {
        return new ClientAttacher(env, out, status);
    }
}
