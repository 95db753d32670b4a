package dev.ssmsession.cli.plugin;

import dev.ssmsession.cli.UntilEnded;
import dev.ssmsession.cli.CliContext;
import dev.ssmsession.cli.CliException;
import dev.ssmsession.cli.ExecCommand;
import dev.ssmsession.cli.ExitCodes;
import dev.ssmsession.cli.Logging;
import dev.ssmsession.cli.StartCommand;
import dev.ssmsession.cli.StdioCommand;
import dev.ssmsession.cli.Version;
import dev.ssmsession.cli.internal.Interrupts;
import dev.ssmsession.cli.session.LocalForward;
import dev.ssmsession.cli.terminal.StatusPrintStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code session-manager-plugin}: the drop-in for the AWS CLI ({@code aws ssm start-session},
 * {@code aws ecs execute-command}) with the calling convention of SPEC §9. Unlike the Go plugin it exits non-zero
 * on errors and with the remote exit code where the session reports one. Status text goes to stderr; stdout carries
 * only session data (and the answers to {@code --version} and the installation check, which the AWS CLI reads).
 * Logging: {@code SSM_SESSION_DEBUG=1} logs to stderr, {@code SSM_SESSION_LOG_FILE} moves the log file.
 */
public final class PluginMain {

    private final CliContext context;
    private final SessionAttacher attacher;

    public PluginMain(CliContext context, SessionAttacher attacher) {
        this.context = context;
        this.attacher = attacher;
    }

    public static void main(String[] args) {
        // The one-line answers the AWS CLI reads before anything else loads (the terminal, the environment, the
        // client library's classes): they are most of a --version's time otherwise.
        if (args.length == 0) {
            System.out.print(PluginInvocation.INSTALLED);
            System.out.flush();
            System.exit(ExitCodes.OK);
        }
        if (args.length == 1 && args[0].equals("--version")) {
            System.out.println(Version.pluginCompat());
            System.exit(ExitCodes.OK);
        }
        StatusPrintStream err = StatusPrintStream.systemErr();
        CliContext context = CliContext.system(null, err);
        System.exit(run(context, err, Arrays.asList(args)));
    }

    /** One invocation with the real client library (also the start-up training's way in). */
    public static int run(CliContext context, StatusPrintStream err, List<String> args) {
        return new PluginMain(context, DefaultAttacher.create(context.env(), context.out(), err)).run(args);
    }

    /** Runs one invocation; returns the process exit status. */
    public int run(List<String> args) {
        PrintStream out = context.out();
        PrintStream err = context.err();
        PluginInvocation.Request request;
        try {
            // Java cannot remove a variable from its own environment; nothing here starts a child process, so the
            // response in AWS_SSM_START_SESSION_RESPONSE reaches no one else (the Go plugin unsets it for that).
            request = PluginInvocation.parse(args, context.env(), name -> { });
        } catch (PluginInvocation.UsageException e) {
            err.print(e.getMessage() + "\n");
            err.flush();
            return ExitCodes.USAGE;
        } catch (IllegalArgumentException e) {
            err.print("Cannot perform start session: " + e.getMessage() + "\n");
            err.flush();
            return ExitCodes.FAILURE;
        }
        if (request instanceof PluginInvocation.Installed) {
            out.print(PluginInvocation.INSTALLED);
            out.flush();
            return ExitCodes.OK;
        }
        if (request instanceof PluginInvocation.ShowVersion) {
            out.print(Version.pluginCompat() + "\n");
            out.flush();
            return ExitCodes.OK;
        }
        PluginInvocation invocation = ((PluginInvocation.Start) request).invocation();
        configureLogging();
        log().info("starting {}", invocation);
        try {
            err.print("\nStarting session with SessionId: " + invocation.response().sessionId() + "\n");
            err.flush();
            Attached attached = attacher.attach(invocation);
            if (attached instanceof Attached.Shell shell) {
                return StartCommand.runShell(context, shell.shell());
            }
            if (attached instanceof Attached.Command command) {
                int status = ExecCommand.runCommand(context, command.command());
                err.print("\n\nExiting session with sessionId: " + command.sessionId() + ".\n\n");
                err.flush();
                return status;
            }
            if (attached instanceof Attached.Stdio stdio) {
                return StdioCommand.relay(context.in(), context.out(), stdio.stream());
            }
            return runPort(((Attached.Port) attached).forward());
        } catch (CliException e) {
            log().error("session failed", e);
            err.print("Cannot perform start session: " + e.getMessage() + "\n");
            if (!e.hint().isEmpty()) {
                err.print("hint: " + e.hint() + "\n");
            }
            err.flush();
            return e.exitCode();
        } catch (Exception e) {
            log().error("session failed", e);
            String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            err.print("Cannot perform start session: " + message + "\n");
            err.print("hint: set SSM_SESSION_DEBUG=1 for details (or see " + Logging.defaultLogFile() + ")\n");
            err.flush();
            return ExitCodes.FAILURE;
        }
    }

    private int runPort(LocalForward forward) throws java.io.InterruptedIOException {
        PrintStream err = context.err();
        AtomicBoolean exitPrinted = new AtomicBoolean();
        Runnable printExit = () -> {
            if (exitPrinted.compareAndSet(false, true)) {
                err.print("\n\nExiting session with sessionId: " + forward.sessionId() + ".\n\n");
                err.flush();
            }
        };
        UntilEnded until = UntilEnded.onSignal("ssm-session-close-forward", () -> {
            err.print("Terminate signal received, exiting.\n");
            forward.close();
            printExit.run();
        });
        // Port sessions end on SIGINT/SIGTSTP with status 0 (SPEC §7.3); the AWS CLI started us with them ignored.
        try (Interrupts ignored = Interrupts.on(() -> System.exit(ExitCodes.OK), "INT", "TSTP")) {
            String opened = forward.localAddress() instanceof java.net.InetSocketAddress tcp
                    ? "Port " + tcp.getPort() : "Unix socket " + forward.localAddress();
            err.print(opened + " opened for sessionId " + forward.sessionId() + ".\nWaiting for connections...\n");
            err.flush();
            until.await(forward.completion());
            printExit.run();
            return ExitCodes.OK;
        } finally {
            until.finish(forward::close);
        }
    }

    private void configureLogging() {
        boolean debug = "1".equals(context.env().get("SSM_SESSION_DEBUG"))
                || "true".equalsIgnoreCase(context.env().get("SSM_SESSION_DEBUG"));
        String file = context.env().get("SSM_SESSION_LOG_FILE");
        Logging.configure(debug, file == null || file.isBlank() ? null : Path.of(file), context.err());
    }

    /** Looked up when first needed: initialising logging costs start-up time that --version must not pay. */
    private static Logger log() {
        return LoggerFactory.getLogger(PluginMain.class);
    }
}
