package dev.ssmsession.cli;

import dev.ssmsession.client.SessionManager;
import dev.ssmsession.web.InstanceDirectory;
import dev.ssmsession.web.ShellOpener;
import dev.ssmsession.web.WebTerminalServer;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code ssm-session web}: a browser terminal served from this machine. */
@Command(name = "web", description = {
    "Serve a browser terminal at the printed URL; each browser tab is its own session.",
    "Without --target the page lists the managed instances to pick from.",
    "Listens on 127.0.0.1 unless --bind says otherwise; the URL carries a secret",
    "token, and credentials never reach the page. Ctrl-C stops it and ends the",
    "sessions."
})
final class WebCommand implements Callable<Integer> {
    @ParentCommand
    SsmSession root;

    @Option(names = {"-t", "--target"}, paramLabel = "ID",
            description = "Serve this managed node only (default: the page lists the instances to pick from).")
    String target;

    @Mixin
    WebOptions web;

    @Override
    public Integer call() throws IOException {
        CliContext context = root.context;
        checkedBind(web);
        try (SessionManager manager = ClientSessions.manager(root.connection(), context.env())) {
            return serve(context, web, manager::shell, Optional.ofNullable(target),
                    target == null ? manager::managedInstances : null);
        }
    }

    /** Runs the server until Ctrl-C (or until {@code stop} completes, for tests); shared with {@code demo --web}. */
    static int serve(CliContext context, WebOptions web, ShellOpener shells, Optional<String> target,
                     InstanceDirectory instances) throws InterruptedIOException {
        return serve(context, web, shells, target, instances, new CompletableFuture<>());
    }

    static int serve(CliContext context, WebOptions web, ShellOpener shells, Optional<String> target,
                     InstanceDirectory instances, CompletableFuture<?> stop) throws InterruptedIOException {
        PrintStream err = context.err();
        InetAddress bind = checkedBind(web);
        WebTerminalServer.Builder builder = WebTerminalServer.builder().bindAddress(bind).port(web.port)
                .allowRemote(web.allowRemote).shells(shells).instances(instances);
        target.ifPresent(builder::target);
        WebTerminalServer server;
        try {
            server = builder.start();
        } catch (UncheckedIOException e) {
            throw new CliException(e.getMessage(), "choose another --port, or leave it at 0 for any free port");
        }
        UntilEnded run = UntilEnded.onSignal("ssm-session-web-stop", () -> {
            err.println("Stopping; ending " + server.openSessions() + " session(s).");
            server.close();
        });
        try {
            if (!bind.isLoopbackAddress()) {
                err.println("WARNING: listening on " + web.bind + ": anyone who can reach this port and has the URL gets"
                        + " a shell as you. Keep the URL secret; prefer 127.0.0.1 with an SSH tunnel.");
            }
            URI url = server.url();
            context.out().println(url);
            context.out().flush();
            err.println("Browser terminal at the URL above (it carries a secret token: anyone with it gets a shell)."
                    + " Ctrl-C stops it.");
            if (web.open) {
                open(url, err);
            }
            run.await(stop);
            return ExitCodes.OK;
        } finally {
            run.finish(server::close);
        }
    }

    /** The address to bind, refused when it is not loopback and --allow-remote is missing. */
    static InetAddress checkedBind(WebOptions web) {
        InetAddress bind = bindAddress(web.bind);
        if (!bind.isLoopbackAddress() && !web.allowRemote) {
            throw CliException.usage("--bind " + web.bind + " would offer a shell to everyone who can reach this "
                    + "machine", "add --allow-remote if that is what you want, or leave --bind at 127.0.0.1");
        }
        return bind;
    }

    static InetAddress bindAddress(String bind) {
        try {
            return InetAddress.getByName(bind);
        } catch (UnknownHostException e) {
            throw CliException.usage("--bind " + bind + " is not an address of this machine", "e.g. --bind 127.0.0.1");
        }
    }

    /** The desktop's way of opening a URL; failing that, the user opens the printed one. */
    private static void open(URI url, PrintStream err) {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String[] command = os.contains("mac") ? new String[] {"open", url.toString()}
                : os.contains("win") ? new String[] {"rundll32", "url.dll,FileProtocolHandler", url.toString()}
                : new String[] {"xdg-open", url.toString()};
        try {
            new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            err.println("Could not open a browser (" + command[0] + ": " + e.getMessage() + "); open the URL yourself.");
        }
    }
}
