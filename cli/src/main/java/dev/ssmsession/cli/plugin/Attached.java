package dev.ssmsession.cli.plugin;

import dev.ssmsession.cli.session.LocalForward;
import dev.ssmsession.cli.session.RemoteCommand;
import dev.ssmsession.cli.terminal.RemoteShell;
import dev.ssmsession.cli.terminal.RemoteStream;

/** A session the plugin attached to, as its handshake revealed it (SPEC §4, §8.2). */
public sealed interface Attached {
    String sessionId();

    /** Shell family (Standard_Stream, InteractiveCommands, NonInteractiveCommands): the terminal relay. */
    record Shell(RemoteShell shell) implements Attached {
        @Override
        public String sessionId() {
            return shell.sessionId();
        }
    }

    /** NonInteractiveCommands: stdout and stderr apart, and the command's exit code (SPEC §3.6). */
    record Command(RemoteCommand command) implements Attached {
        @Override
        public String sessionId() {
            return command.sessionId();
        }
    }

    /** Port session with {@code LocalPortForwarding}: the listener from the document's properties is open. */
    record Port(LocalForward forward) implements Attached {
        @Override
        public String sessionId() {
            return forward.sessionId();
        }
    }

    /** Port session without a type (e.g. AWS-StartSSHSession): stdin/stdout. */
    record Stdio(RemoteStream stream) implements Attached {
        @Override
        public String sessionId() {
            return stream.sessionId();
        }
    }
}
