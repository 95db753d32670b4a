package dev.ssmsession.cli;

import dev.ssmsession.cli.session.Connection;
import dev.ssmsession.cli.session.SessionSpec;
import dev.ssmsession.cli.terminal.RemoteShell;
import dev.ssmsession.client.SessionManager;
import dev.ssmsession.testkit.LocalSessionManager;
import dev.ssmsession.testkit.TestkitCredentials;
import java.io.IOException;
import java.io.PrintStream;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code ssm-session demo}: the embedded local Session Manager and a shell in it, no AWS account needed. */
@Command(name = "demo", description = {
    "Open a shell through a local Session Manager (the testkit) started inside this process.",
    "The full data-channel protocol on loopback, with a shell on this machine as the 'instance'.",
    "No AWS account or network needed. Type exit (or Enter ~.) to leave."
})
final class DemoCommand implements Callable<Integer> {
    @ParentCommand
    SsmSession root;

    @Option(names = "--kms", description = "Encrypt the session with the local KMS (SPEC §5).")
    boolean kms;

    @Option(names = "--web", description = "Serve the shell as a browser terminal instead (see 'ssm-session web'); "
            + "each browser tab is a session, Ctrl-C stops.")
    boolean web;

    @Mixin
    WebOptions webOptions;

    @Override
    public Integer call() throws IOException {
        CliContext context = root.context;
        PrintStream status = context.err();
        if (web) {
            WebCommand.checkedBind(webOptions);
        }
        try (LocalSessionManager local = LocalSessionManager.builder().kmsEncryption(kms).build().start()) {
            status.println("Local Session Manager: SSM API " + local.ssmEndpoint() + ", data channel "
                    + local.streamUrlBase() + ", region " + local.region() + ", target " + local.defaultTarget()
                    + (kms ? ", KMS encryption on" : ""));
            if (web) {
                status.println("The 'instance' is this machine: the browser's shells run here, reached through the "
                        + "whole protocol.");
                try (SessionManager manager = ClientSessions.manager(connection(local), Map.of())) {
                    return WebCommand.serve(context, webOptions, manager::shell, Optional.of(local.defaultTarget()),
                            null);
                }
            }
            status.println("The 'instance' is this machine: the shell below runs here, reached through the whole "
                    + "protocol. Leave with exit (or Enter ~.).");
            RemoteShell shell = context.sessions().shell(connection(local),
                    new SessionSpec(local.defaultTarget(), Optional.empty(), Map.of(), Optional.of("ssm-session demo")),
                    status);
            return StartCommand.runShell(context, shell);
        }
    }

    static Connection connection(LocalSessionManager local) {
        TestkitCredentials credentials = local.credentials();
        return new Connection(Optional.empty(), Optional.of(local.region()), Optional.of(local.ssmEndpoint()),
                Optional.of(local.kmsEndpoint()), Optional.of(new Connection.StaticCredentials(
                        credentials.accessKeyId(), credentials.secretAccessKey(), credentials.sessionToken())), true);
    }
}
