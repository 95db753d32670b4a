package dev.ssmsession.cli.plugin;

/** Opens the data channel of a session the AWS CLI started and waits for the handshake to tell its kind. */
@FunctionalInterface
public interface SessionAttacher {
    Attached attach(PluginInvocation invocation);
}
