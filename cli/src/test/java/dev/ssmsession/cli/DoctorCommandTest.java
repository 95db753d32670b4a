package dev.ssmsession.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ssmsession.cli.session.Connection;
import dev.ssmsession.cli.session.LocalForward;
import dev.ssmsession.cli.session.RemoteCommand;
import dev.ssmsession.cli.session.SessionSpec;
import dev.ssmsession.cli.session.Sessions;
import dev.ssmsession.cli.terminal.RemoteShell;
import dev.ssmsession.cli.terminal.RemoteStream;
import dev.ssmsession.cli.terminal.StatusPrintStream;
import dev.ssmsession.client.SessionException;
import dev.ssmsession.client.SessionManager;
import dev.ssmsession.testkit.Account;
import dev.ssmsession.testkit.LocalSessionManager;
import dev.ssmsession.testkit.SampleAccounts;
import dev.ssmsession.testkit.TestkitCredentials;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code ssm-session doctor} in process, over the client library and a testkit account: exit codes, table, JSON. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DoctorCommandTest {
    static final String INSTANCE = "i-0123456789abcdef0";

    @TempDir
    Path dir;

    /** The real library's manager, with the testkit's credentials (the default chain would look at this machine). */
    private static Sessions sessions(LocalSessionManager local, Map<String, String> env, StatusPrintStream err) {
        ClientSessions real = new ClientSessions(env, err);
        TestkitCredentials c = local.credentials();
        return new Sessions() {
            @Override
            public SessionManager manager(Connection connection) {
                return real.manager(new Connection(connection.profile(), connection.region(), connection.endpointUrl(),
                        Optional.empty(), Optional.of(new Connection.StaticCredentials(c.accessKeyId(), c.secretAccessKey(),
                        c.sessionToken())), false));
            }

            @Override
            public RemoteShell shell(Connection connection, SessionSpec spec, PrintStream status) {
                throw new UnsupportedOperationException();
            }

            @Override
            public RemoteCommand command(Connection connection, SessionSpec spec, PrintStream status) {
                throw new UnsupportedOperationException();
            }

            @Override
            public RemoteStream stdio(Connection connection, SessionSpec spec) {
                throw new UnsupportedOperationException();
            }

            @Override
            public LocalForward forward(Connection connection, SessionSpec spec, ForwardSpec forward,
                    dev.ssmsession.cli.session.ForwardOptions options, PrintStream status) {
                throw new UnsupportedOperationException();
            }
        };
    }

    private CliRun doctor(Account account, boolean online, String... args) {
        LocalSessionManager.Builder b = LocalSessionManager.builder().account(account);
        if (online) {
            b.target(INSTANCE);
        } else {
            b.offlineTarget(INSTANCE);
        }
        try (LocalSessionManager local = b.build().start()) {
            Map<String, String> env = Map.of("AWS_ENDPOINT_URL", local.accountEndpoint().toString(),
                    "AWS_ENDPOINT_URL_SSMMESSAGES", local.streamUrlBase().toString());
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
            StatusPrintStream err = StatusPrintStream.over(errBytes, () -> false, StandardCharsets.UTF_8);
            CliContext context = new CliContext(new ByteArrayInputStream(new byte[0]),
                    new PrintStream(out, true, StandardCharsets.UTF_8), err, env, sessions(local, env, err), Optional::empty);
            List<String> all = new ArrayList<>(List.of("--log-file", dir.resolve("log").toString(),
                    "--region", local.region(), "--endpoint-url", local.ssmEndpoint().toString(), "doctor"));
            all.addAll(List.of(args));
            int code = SsmSession.execute(context, all.toArray(String[]::new));
            err.flush();
            return new CliRun(code, out.toString(StandardCharsets.UTF_8), errBytes.toString(StandardCharsets.UTF_8));
        }
    }

    @Test
    void workingPrivateSubnetExitsZeroWithEveryCheckPassingInJson() throws Exception {
        CliRun run = doctor(SampleAccounts.privateSubnet("us-east-1", INSTANCE), true, "--target", INSTANCE, "--output", "json");
        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode json = new ObjectMapper().readTree(run.out());
        assertThat(json.path("target").asText()).isEqualTo(INSTANCE);
        assertThat(json.path("region").asText()).isEqualTo("us-east-1");
        assertThat(json.path("sessionWouldWork").asBoolean()).isTrue();
        assertThat(json.path("checks")).hasSize(15);
        json.path("checks").forEach(c -> assertThat(c.path("verdict").asText()).as(c.toString()).isEqualTo("pass"));
        assertThat(json.path("checks").get(14).path("id").asText()).isEqualTo("session");
        assertThat(run.out()).doesNotContain("testkit/secret/key", "testkit-session-token");
    }

    @Test
    void missingSsmmessagesEndpointExitsOneAndTheTableShowsTheFix() throws java.io.IOException {
        Account account = SampleAccounts.privateSubnet("us-east-1", INSTANCE).toBuilder()
                .removeEndpoint(SampleAccounts.endpointId("ssmmessages")).build();
        CliRun run = doctor(account, false, "--target", INSTANCE, "--no-session");
        assertThat(run.exitCode()).as(run.err()).isEqualTo(1);
        assertThat(run.out()).startsWith("ssm-session doctor: " + INSTANCE + " in us-east-1\n");
        assertThat(run.out()).contains("FAIL     endpoint-ssmmessages  VPC endpoint com.amazonaws.us-east-1.ssmmessages\n");
        assertThat(run.out()).contains("         fix: aws ec2 create-vpc-endpoint --region us-east-1 --vpc-id "
                + SampleAccounts.VPC + " --vpc-endpoint-type Interface --service-name com.amazonaws.us-east-1.ssmmessages");
        assertThat(run.out()).contains("SKIPPED  session ").contains("not run (--no-session)");
        assertThat(run.out()).contains("2 failed, 0 warnings, 1 skipped, 12 passed: a session will not work");
        assertThat(run.out()).doesNotContain("\u001b[");
        assertThat(run.err()).isEmpty();
        // the README's doctor section shows this run: the same but for loopback ports and the time of the last ping
        java.nio.file.Files.writeString(Path.of("target", "doctor-readme-run.txt"), run.out());
        String readme = java.nio.file.Files.readString(Path.of("..", "README.md"));
        String start = "$ ssm-session doctor --target " + INSTANCE + " --no-session\n";
        int from = readme.indexOf(start);
        assertThat(from).as("the README's doctor run").isPositive();
        String shown = readme.substring(from + start.length(), readme.indexOf("\n$ echo $?", from) + 1);
        assertThat(normalized(shown)).isEqualTo(normalized(run.out()));
    }

    private static String normalized(String report) {
        return report.replaceAll("127\\.0\\.0\\.1:\\d+", "127.0.0.1:PORT").replaceAll("last ping [^)]+\\)", "last ping TIME)");
    }

    @Test
    void badArgumentsExitTwoWithOneLine() {
        Account account = SampleAccounts.privateSubnet("us-east-1", INSTANCE);
        CliRun format = doctor(account, true, "--target", INSTANCE, "--output", "yaml");
        assertThat(format.exitCode()).isEqualTo(2);
        assertThat(format.err()).startsWith("ssm-session: --output must be table or json, not 'yaml'\n");
        assertThat(format.err()).doesNotContain("Exception", "\tat ");

        CliRun target = doctor(account, true, "--target", "web-1");
        assertThat(target.exitCode()).isEqualTo(2);
        assertThat(target.err()).startsWith("ssm-session: target 'web-1' is not an instance id");
        assertThat(target.err()).doesNotContain("\tat ");

        CliRun missing = doctor(account, true);
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.err()).contains("Missing required option: '--target=ID'");
    }

    @Test
    void targetNotConnectedSuggestsTheDoctor() {
        FakeSessions fake = new FakeSessions();
        fake.failure = new SessionException(SessionException.Reason.TARGET_NOT_CONNECTED, "i-0abc is not connected.");
        CliRun run = CliRun.run(fake, dir.resolve("log"), "--region", "eu-west-1", "exec", "--target", "i-0abc", "uptime");
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).isEqualTo("ssm-session: i-0abc is not connected.\n"
                + "hint: run 'ssm-session doctor --target i-0abc --region eu-west-1' to see why (agent, VPC endpoints, "
                + "security groups, network ACLs, instance role); 'aws ssm describe-instance-information' lists the nodes "
                + "connected in this region\n");
    }
}
