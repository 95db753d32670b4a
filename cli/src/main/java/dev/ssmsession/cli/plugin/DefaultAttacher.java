package dev.ssmsession.cli.plugin;

import dev.ssmsession.cli.CliException;
import java.util.Map;

/** The production {@link SessionAttacher}. Transitional: the client library's session kinds are not merged yet. */
final class DefaultAttacher implements SessionAttacher {
    static SessionAttacher create(Map<String, String> env) {
        return new DefaultAttacher();
    }

    @Override
    public Attached attach(PluginInvocation invocation) {
        throw new CliException("this build has no session support yet (the client library is not merged)",
                "build from a main branch that contains the client module");
    }
}
