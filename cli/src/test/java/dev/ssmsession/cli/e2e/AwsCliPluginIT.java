package dev.ssmsession.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ssmsession.client.SessionManager;
import dev.ssmsession.client.SessionRequest;
import dev.ssmsession.client.SessionToken;
import dev.ssmsession.testkit.LocalSessionManager;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The definition of done: the real AWS CLI ({@code aws}, v1) runs our {@code session-manager-plugin}
 * (cli/target/bin first on PATH) against the local Session Manager, and command exit codes come back as the process
 * status.
 */
class AwsCliPluginIT {
    private static LocalSessionManager local;

    @TempDir
    static Path home;

    @BeforeAll
    static void startTestkit() {
        local = LocalSessionManager.builder().build().start();
    }

    @AfterAll
    static void stopTestkit() {
        if (local != null) {
            local.close();
        }
    }

    private static Map<String, String> env(Path home) throws Exception {
        return TestkitEnvironment.of(local, home);
    }

    @Test
    void awsSsmStartSessionOpensAShellThroughOurPlugin() throws Exception {
        Assumptions.assumeTrue(TestkitEnvironment.awsCliInstalled(), "the AWS CLI (aws) is not on PATH");
        Launchers.Result result = Launchers.run(List.of("aws", "ssm", "start-session", "--target",
                local.defaultTarget(), "--endpoint-url", local.ssmEndpoint().toString()), env(home),
                "echo marker-$((6*7))\nexit\n".getBytes(StandardCharsets.UTF_8), 120);

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).contains("marker-42");
        assertThat(result.err()).contains("Starting session with SessionId: ", "Exiting session with sessionId: ");
        assertThat(result.out() + result.err()).doesNotContain("TokenValue", local.credentials().secretAccessKey());
    }

    @Test
    void commandExitCodeComesBackThroughTheAwsCli() throws Exception {
        Assumptions.assumeTrue(TestkitEnvironment.awsCliInstalled(), "the AWS CLI (aws) is not on PATH");
        Launchers.Result result = Launchers.run(List.of("aws", "ssm", "start-session", "--target",
                local.defaultTarget(), "--endpoint-url", local.ssmEndpoint().toString(),
                "--document-name", "AWS-StartNonInteractiveCommand",
                "--parameters", "{\"command\":[\"echo to-stdout; exit 3\"]}"), env(home), new byte[0], 120);

        // AWS CLI v1 runs the plugin with check_call: a non-zero status N becomes its own 255 plus a message (SPEC §9)
        assertThat(result.exitCode()).isEqualTo(255);
        assertThat(result.err()).contains("returned non-zero exit status 3");
        assertThat(result.out()).contains("to-stdout");
    }

    @Test
    void execExitCodeIsTheProcessStatusAndStreamsStaySeparate() throws Exception {
        Launchers.Result result = Launchers.run(List.of(Launchers.bin().resolve("ssm-session").toString(),
                "--endpoint-url", local.ssmEndpoint().toString(), "exec", "--target", local.defaultTarget(),
                "echo to-stdout; echo to-stderr >&2; exit 7"), env(home), new byte[0], 120);

        assertThat(result.exitCode()).as(result.err()).isEqualTo(7);
        assertThat(result.out()).isEqualTo("to-stdout\n");
        assertThat(result.err()).contains("to-stderr").doesNotContain("to-stdout");
    }

    @Test
    void interactiveShellOnARealTerminalThroughTheAwsCli() throws Exception {
        Assumptions.assumeTrue(TestkitEnvironment.awsCliInstalled(), "the AWS CLI (aws) is not on PATH");
        Map<String, String> env = env(home);
        String[] command = {"aws", "ssm", "start-session", "--target", local.defaultTarget(), "--endpoint-url",
            local.ssmEndpoint().toString()};
        try (PtyScreen pty = new PtyScreen(command, env, 100, 30)) {
            int at = pty.await("Starting session with SessionId");
            pty.type("PS1='READY''> '\r"); // a prompt to wait for (the quotes keep the echo from matching)
            at = pty.await("READY> ", at, 60);
            pty.type("stty size\r");
            at = pty.await("30 100", at, 60);
            at = pty.await("READY> ", at, 60);
            pty.type("sleep 60\r");
            at = interruptUntilPrompt(pty, at);
            pty.type("echo after-$((40+2))\r");
            at = pty.await("after-42", at, 60);
            pty.type("exit 0\r");
            pty.await("Exiting session with sessionId", at, 60);
            assertThat(pty.exitCode(60)).isZero();
        }
    }

    /**
     * Ctrl-C reaches the remote shell's sleep, not our process: the prompt is back long before the sleep would end.
     * A Ctrl-C that lands while bash is still starting the sleep (a loaded machine) is not delivered to it, so it is
     * typed again until the prompt returns.
     */
    private static int interruptUntilPrompt(PtyScreen pty, int at) throws Exception {
        for (int tries = 0; tries < 6; tries++) {
            pty.type((byte) 0x03);
            try {
                return pty.await("READY> ", at, 5);
            } catch (AssertionError notYet) {
                // typed too early: again
            }
        }
        throw new AssertionError("Ctrl-C did not interrupt the remote sleep within 30 s");
    }

    @Test
    void ecsExecHandOverWithCamelCaseKeysAndAnEcsEndpoint() throws Exception {
        // what `aws ecs execute-command` passes: the session inline with camelCase keys, an ecs: target and the ECS
        // endpoint as argv[6] (SPEC §9); the plugin must not send SSM calls there
        SessionToken token;
        try (SessionManager manager = DemoCommandAccess.manager(local)) {
            token = manager.startSession(SessionRequest.shell(local.defaultTarget()));
        }
        String session = "{\"sessionId\": \"" + token.sessionId() + "\", \"streamUrl\": \"" + token.streamUrl()
                + "\", \"tokenValue\": \"" + token.tokenValue() + "\"}";
        Launchers.Result result = Launchers.run(List.of(
                Launchers.bin().resolve("session-manager-plugin").toString(), session, local.region(), "StartSession",
                "", "{\"Target\": \"ecs:demo_0123456789abcdef_0123456789abcdef-1234567890\"}",
                "https://ecs." + local.region() + ".amazonaws.com"), env(home),
                "echo ecs-$((40+2))\nexit\n".getBytes(StandardCharsets.UTF_8), 120);

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).contains("ecs-42");
        assertThat(result.out() + result.err()).doesNotContain(token.tokenValue());
    }
}
