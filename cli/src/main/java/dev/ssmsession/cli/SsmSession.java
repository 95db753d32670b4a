package dev.ssmsession.cli;

import dev.ssmsession.cli.session.Connection;
import dev.ssmsession.cli.terminal.StatusPrintStream;
import dev.ssmsession.client.SessionException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.RunLast;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;
import picocli.CommandLine.UnmatchedArgumentException;

/** {@code ssm-session}: the root command, its global options, and error reporting. */
@Command(
        name = "ssm-session",
        scope = ScopeType.INHERIT,
        mixinStandardHelpOptions = true,
        versionProvider = SsmSession.VersionProvider.class,
        usageHelpAutoWidth = true,
        sortOptions = false,
        description = "AWS Systems Manager Session Manager client: shells, commands with real exit codes, port "
                + "forwarding and SSH ProxyCommand, speaking the data-channel protocol itself.",
        subcommands = {
            StartCommand.class,
            ExecCommand.class,
            PortForwardCommand.class,
            SocksCommand.class,
            StdioCommand.class,
            WebCommand.class,
            DoctorCommand.class,
            DemoCommand.class,
            LocalCommand.class,
            AutoComplete.GenerateCompletion.class
        })
public final class SsmSession implements Callable<Integer> {

    final CliContext context;

    @Spec
    CommandSpec spec;

    @Option(names = "--profile", scope = ScopeType.INHERIT, paramLabel = "NAME",
            description = "Named profile from ~/.aws/config (default: AWS_PROFILE, else the default chain).")
    String profile;

    @Option(names = "--region", scope = ScopeType.INHERIT, paramLabel = "REGION",
            description = "AWS region (default: AWS_REGION / the profile's region).")
    String region;

    @Option(names = "--endpoint-url", scope = ScopeType.INHERIT, paramLabel = "URL",
            description = "SSM API endpoint, as for 'aws ssm --endpoint-url' (e.g. a VPC endpoint or a local "
                    + "testkit).")
    URI endpointUrl;

    @Option(names = "--debug", scope = ScopeType.INHERIT,
            description = "Log to stderr at debug level instead of to the log file.")
    boolean debug;

    @Option(names = "--log-file", scope = ScopeType.INHERIT, paramLabel = "PATH",
            description = "Log file (rotated at 10 MB, 5 kept; default: ~/.ssm-session/logs/ssm-session.log).")
    Path logFile;

    public SsmSession(CliContext context) {
        this.context = context;
    }

    public static void main(String[] args) {
        StatusPrintStream err = StatusPrintStream.systemErr();
        System.exit(execute(CliContext.system(DefaultSessions.create(err), err), args));
    }

    /** Runs the command line and returns the process exit status. */
    public static int execute(CliContext context, String... args) {
        return commandLine(context).execute(args);
    }

    static CommandLine commandLine(CliContext context) {
        SsmSession root = new SsmSession(context);
        CommandLine commandLine = new CommandLine(root);
        commandLine.setOut(new PrintWriter(context.out(), true));
        commandLine.setErr(new PrintWriter(context.err(), true));
        commandLine.setParameterExceptionHandler(new UsageErrors());
        commandLine.setExecutionExceptionHandler(new ExecutionErrors());
        commandLine.setExecutionStrategy(parseResult -> {
            Integer help = CommandLine.executeHelpRequest(parseResult);
            if (help != null) {
                return help;
            }
            Logging.configure(root.debug, root.logFile, context.err());
            return new RunLast().execute(parseResult);
        });
        // "exec -t i-1 ls -la": everything from the first word of the command on belongs to the command, as in ssh
        commandLine.getSubcommands().get("exec").setStopAtPositional(true);
        commandLine.getSubcommands().get("generate-completion").getCommandSpec().usageMessage().hidden(false);
        return commandLine;
    }

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "missing command");
    }

    Connection connection() {
        return new Connection(Optional.ofNullable(profile), Optional.ofNullable(region),
                Optional.ofNullable(endpointUrl));
    }

    /** One line saying what is wrong, the closest matches for a typo, and where to read more. Exit 2. */
    static final class UsageErrors implements IParameterExceptionHandler {
        @Override
        public int handleParseException(ParameterException ex, String[] args) {
            CommandLine command = ex.getCommandLine();
            PrintWriter err = command.getErr();
            Optional<String> unknownCommand = unknownCommand(ex);
            if (unknownCommand.isPresent()) {
                String word = unknownCommand.get();
                err.println("ssm-session: unknown command '" + word + "'");
                Suggestions.closest(word, command.getSubcommands().keySet())
                        .ifPresent(s -> err.println("Did you mean: " + command.getCommandName() + " " + s + "?"));
            } else {
                err.println("ssm-session: " + ex.getMessage());
                UnmatchedArgumentException.printSuggestions(ex, err);
            }
            err.println("Try '" + command.getCommandSpec().qualifiedName() + " --help' for more information.");
            err.flush();
            return command.getCommandSpec().exitCodeOnInvalidInput();
        }
    }

    private static Optional<String> unknownCommand(ParameterException ex) {
        if (ex instanceof UnmatchedArgumentException unmatched
                && !ex.getCommandLine().getSubcommands().isEmpty()
                && !unmatched.getUnmatched().isEmpty()
                && !unmatched.getUnmatched().get(0).startsWith("-")) {
            return Optional.of(unmatched.getUnmatched().get(0));
        }
        return Optional.empty();
    }

    /** A failed command: one line and a hint, never a stack trace (that goes to the log). */
    static final class ExecutionErrors implements IExecutionExceptionHandler {
        @Override
        public int handleExecutionException(Exception ex, CommandLine command, ParseResult parseResult) {
            PrintWriter err = command.getErr();
            if (ex instanceof ParameterException pe) {
                return new UsageErrors().handleParseException(pe, parseResult.originalArgs().toArray(String[]::new));
            }
            if (ex instanceof CliException cli) {
                log().debug("command failed", cli);
                err.println("ssm-session: " + cli.getMessage());
                if (!cli.hint().isEmpty()) {
                    err.println("hint: " + cli.hint());
                }
                if (cli.exitCode() == ExitCodes.USAGE) {
                    err.println("Try '" + command.getCommandSpec().qualifiedName()
                            + " --help' for more information.");
                }
                err.flush();
                return cli.exitCode();
            }
            log().error("command failed", ex);
            String message = ex.getMessage() == null || ex.getMessage().isBlank()
                    ? ex.getClass().getSimpleName()
                    : ex.getMessage();
            err.println("ssm-session: " + message);
            SsmSession root = command.getCommandSpec().root().userObject() instanceof SsmSession s ? s : null;
            err.println("hint: " + hint(ex, root, target(parseResult)));
            err.flush();
            return ExitCodes.FAILURE;
        }

        /** The {@code --target} of the command that failed, or null. */
        private static String target(ParseResult parseResult) {
            for (ParseResult p = parseResult; p != null; p = p.subcommand()) {
                if (p.hasMatchedOption("--target")) {
                    return p.matchedOptionValue("--target", null);
                }
            }
            return null;
        }

        static String hint(Exception ex, SsmSession root) {
            return hint(ex, root, null);
        }

        /** What to do next: the usual fix for the failure's reason, else where the details are. */
        static String hint(Exception ex, SsmSession root, String target) {
            if (ex instanceof SessionException session) {
                switch (session.reason()) {
                    case CREDENTIALS:
                        return "sign in (aws sso login --profile NAME) and pass --profile NAME, or set "
                                + "AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY";
                    case CONFIGURATION:
                        // the reason also covers endpoints, proxies and listeners: only a missing region has a fix here
                        if (String.valueOf(session.getMessage()).contains("No AWS region")) {
                            // the message already lists where a region can come from: give an example
                            return "for example: --region eu-west-1, or export AWS_REGION=eu-west-1";
                        }
                        break;
                    case ACCESS_DENIED:
                        return "your IAM identity needs ssm:StartSession on the target and the document, and "
                                + "ssm:TerminateSession/ssm:ResumeSession on its own sessions";
                    case TARGET_NOT_CONNECTED:
                        return "run 'ssm-session doctor --target " + (target == null ? "<id>" : target)
                                + (root != null && root.profile != null ? " --profile " + root.profile : "")
                                + (root != null && root.region != null ? " --region " + root.region : "")
                                + "' to see why (agent, VPC endpoints, security groups, network ACLs, instance role); "
                                + "'aws ssm describe-instance-information' lists the nodes connected in this region";
                    default:
                        break;
                }
            }
            if (root != null && root.debug) {
                return "the log lines above say more";
            }
            Path log = root != null && root.logFile != null ? root.logFile : Logging.defaultLogFile();
            return "run again with --debug for details (or see " + log + ")";
        }
    }

    static final class VersionProvider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return Version.lines();
        }
    }

    /** Looked up when first needed: initialising logging costs start-up time that --version must not pay. */
    private static Logger log() {
        return LoggerFactory.getLogger(SsmSession.class);
    }
}
