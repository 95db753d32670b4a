package dev.ssmsession.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.ssmsession.cli.session.Connection;
import dev.ssmsession.cli.session.SessionSpec;
import dev.ssmsession.client.SessionException;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Argument parsing, errors (one line + hint, exit 2, no stack trace) and what the commands ask the library. */
class SsmSessionCommandLineTest {
    @TempDir
    Path dir;

    private final FakeSessions sessions = new FakeSessions();

    private CliRun run(String... args) {
        return CliRun.run(sessions, dir.resolve("test.log"), args);
    }

    private static void assertNoStackTrace(CliRun run) {
        assertThat(run.err()).doesNotContain("\tat ", "Exception:");
    }

    @Test
    void noCommandIsAUsageError() {
        CliRun run = run();
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("ssm-session: missing command", "Try 'ssm-session --help'");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void missingTargetNamesTheOption() {
        CliRun run = run("start");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).startsWith("ssm-session: Missing required option: '--target=ID'")
                .contains("Try 'ssm-session start --help' for more information.");
        assertNoStackTrace(run);
    }

    @Test
    void typoSuggestsTheCommand() {
        CliRun run = run("strat", "--target", "i-1");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).startsWith("ssm-session: unknown command 'strat'\nDid you mean: ssm-session start?\n");
    }

    @Test
    void badForwardSpecIsOneClearLine() {
        CliRun run = run("port-forward", "-t", "i-1", "-L", "80");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("invalid forward '80'", "[bind:]localport:[host:]remoteport");
        assertThat(sessions.specs).isEmpty();
        assertNoStackTrace(run);
    }

    @Test
    void badParametersJsonIsAUsageError() {
        CliRun run = run("exec", "-t", "i-1", "--parameters", "{bad", "uptime");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("invalid --parameters: not JSON");
        assertNoStackTrace(run);
    }

    @Test
    void helpOnEveryCommandGoesToStdoutWithStatusZero() {
        for (String command : List.of("start", "exec", "port-forward", "stdio", "ssh-proxy")) {
            CliRun run = run(command, "--help");
            assertThat(run.exitCode()).as(command).isZero();
            assertThat(run.out()).as(command).contains("Usage: ssm-session ", "--profile", "--help");
        }
    }

    /**
     * picocli renders every help string through {@code String.format}; a bare {@code %} (ssh's {@code %h %p}) makes
     * it print a warning on stderr for each {@code --help}.
     */
    @Test
    void everyHelpTextIsAValidFormatString() {
        List<String> texts = new ArrayList<>();
        CommandLine root = SsmSession.commandLine(new CliContext(InputStream.nullInputStream(), System.out, System.err,
                Map.of(), sessions, Optional::empty));
        List<CommandLine> commands = new ArrayList<>(List.of(root));
        commands.addAll(root.getSubcommands().values());
        for (CommandLine command : commands) {
            CommandSpec spec = command.getCommandSpec();
            texts.addAll(List.of(spec.usageMessage().description()));
            // from the annotations: the model's option descriptions come back already formatted
            List<Object> owners = new ArrayList<>(List.of(spec.userObject()));
            spec.mixins().values().forEach(mixin -> owners.add(mixin.userObject()));
            for (Object owner : owners) {
                for (Field field : owner.getClass().getDeclaredFields()) {
                    Option option = field.getAnnotation(Option.class);
                    Parameters parameters = field.getAnnotation(Parameters.class);
                    texts.addAll(List.of(option != null ? option.description() : new String[0]));
                    texts.addAll(List.of(parameters != null ? parameters.description() : new String[0]));
                }
            }
        }
        assertThat(texts).hasSizeGreaterThan(20).allSatisfy(text ->
                assertThatCode(() -> String.format(text)).as(text).doesNotThrowAnyException());
    }

    /** The command list shows each description's first line: it must be a sentence of its own. */
    @Test
    void commandListSummariesAreWholeSentences() {
        CliRun run = run("--help");
        String commands = run.out().substring(run.out().indexOf("Commands:")).replaceAll("\\n {20,}", " ");
        for (String name : List.of("start", "exec", "port-forward", "stdio, ssh-proxy", "demo", "local")) {
            assertThat(commands).containsPattern("(?m)^  " + Pattern.quote(name) + " .*[^,:;]\\.$");
        }
    }

    @Test
    void versionNamesThePluginCompatibility() {
        CliRun run = run("--version");
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("ssm-session ", "session-manager-plugin compatible 1.2.764.0");
    }

    @Test
    void completionScriptIsGenerated() {
        CliRun run = run("generate-completion");
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("complete -F", "port-forward", "ssh-proxy");
    }

    @Test
    void execSeparatesStreamsAndExitsWithTheRemoteCode() {
        sessions.stdout = "out line\n";
        sessions.stderr = "err line\n";
        sessions.exitCode = OptionalInt.of(3);

        CliRun run = run("exec", "--target", "i-0abc", "ls", "-la", "/tmp");

        assertThat(run.exitCode()).isEqualTo(3);
        assertThat(run.out()).isEqualTo("out line\n");
        assertThat(run.err()).isEqualTo("err line\n");
        SessionSpec spec = sessions.specs.get(0);
        assertThat(spec.target()).isEqualTo("i-0abc");
        assertThat(spec.documentName()).contains("AWS-StartNonInteractiveCommand");
        assertThat(spec.parameters()).containsEntry("command", List.of("ls -la /tmp"));
    }

    @Test
    void execWithoutReportedExitCodeSucceeds() {
        CliRun run = run("exec", "-t", "i-0abc", "true");
        assertThat(run.exitCode()).isZero();
    }

    @Test
    void globalOptionsWorkBeforeAndAfterTheCommand() {
        run("--profile", "dev", "--region", "eu-west-1", "exec", "-t", "i-1", "true");
        run("exec", "--endpoint-url", "http://127.0.0.1:4566", "--profile", "ops", "-t", "i-1", "true");

        assertThat(sessions.connections.get(0))
                .isEqualTo(new Connection(Optional.of("dev"), Optional.of("eu-west-1"), Optional.empty()));
        assertThat(sessions.connections.get(1)).isEqualTo(new Connection(Optional.of("ops"), Optional.empty(),
                Optional.of(URI.create("http://127.0.0.1:4566"))));
    }

    @Test
    void startParametersFromJsonAndPairs() {
        run("exec", "-t", "i-1", "--document-name", "Custom-Doc", "--reason", "ticket 42",
                "--parameters", "{\"a\":[\"1\",\"2\"],\"b\":\"x\"}", "-p", "c=3", "-p", "c=4", "true");
        SessionSpec spec = sessions.specs.get(0);
        assertThat(spec.documentName()).contains("Custom-Doc");
        assertThat(spec.reason()).contains("ticket 42");
        assertThat(spec.parameters()).containsEntry("a", List.of("1", "2")).containsEntry("b", List.of("x"))
                .containsEntry("c", List.of("3", "4"));
    }

    @Test
    void portForwardOpensOneSessionPerSpecAndPrintsThePorts() {
        CliRun run = run("port-forward", "-t", "i-1", "-L", "8080:80", "-L", "127.0.0.2:5432:db.internal:5432");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).contains("Port 8080 opened for sessionId fake-fwd-8080.",
                "Port 5432 opened for sessionId fake-fwd-5432.");
        assertThat(sessions.specs.get(0).documentName()).contains("AWS-StartPortForwardingSession");
        assertThat(sessions.specs.get(0).parameters()).isEqualTo(
                Map.of("portNumber", List.of("80"), "localPortNumber", List.of("8080")));
        assertThat(sessions.specs.get(1).documentName()).contains("AWS-StartPortForwardingSessionToRemoteHost");
        assertThat(sessions.specs.get(1).parameters()).containsEntry("host", List.of("db.internal"));
        assertThat(sessions.forwards.get(1).bindAddress()).isEqualTo("127.0.0.2");
    }

    @Test
    void libraryFailureIsOneLineAndAHint() {
        sessions.failure = new CliException("target i-1 is not connected", "is the SSM agent running?");
        CliRun run = run("exec", "-t", "i-1", "true");
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).isEqualTo("ssm-session: target i-1 is not connected\nhint: is the SSM agent running?\n");
    }

    @Test
    void unexpectedFailureHasNoStackTrace() {
        sessions.failure = new IllegalStateException("boom");
        CliRun run = run("exec", "-t", "i-1", "true");
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).startsWith("ssm-session: boom\nhint: run again with --debug")
                .contains("(or see " + dir.resolve("test.log") + ")"); // the --log-file given, not the default
        assertNoStackTrace(run);
    }

    @Test
    void libraryFailuresGetTheHintForTheirReason() {
        sessions.failure = new SessionException(SessionException.Reason.CREDENTIALS, "no AWS credentials");
        CliRun credentials = run("exec", "-t", "i-1", "true");
        assertThat(credentials.exitCode()).isEqualTo(1);
        assertThat(credentials.err()).isEqualTo("ssm-session: no AWS credentials\nhint: sign in (aws sso login "
                + "--profile NAME) and pass --profile NAME, or set AWS_PROFILE or "
                + "AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY\n");

        sessions.failure = new SessionException(SessionException.Reason.CONFIGURATION, "No AWS region: set one");
        assertThat(run("exec", "-t", "i-1", "true").err()).contains("hint: for example: --region eu-west-1");

        sessions.failure = new SessionException(SessionException.Reason.CONFIGURATION,
                "cannot listen on 127.0.0.1:8080: Address already in use");
        assertThat(run("exec", "-t", "i-1", "true").err()).contains("hint: run again with --debug")
                .doesNotContain("region");
    }

    @Test
    void withDebugTheHintDoesNotAskForDebug() {
        sessions.failure = new IllegalStateException("boom");
        CliRun run = run("--debug", "exec", "-t", "i-1", "true");
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).endsWith("ssm-session: boom\nhint: the log lines above say more\n");
    }

    @Test
    void stdioTakesSshStyleHostAndPortOrOptions() {
        CliRun missing = run("ssh-proxy");
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.err()).contains("missing target");

        CliRun badPort = run("stdio", "i-1", "70000");
        assertThat(badPort.exitCode()).isEqualTo(2);
        assertThat(badPort.err()).contains("port 70000 is out of range");
    }
}
