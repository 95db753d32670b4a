package dev.ssmsession.cli.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ssmsession.cli.CliContext;
import dev.ssmsession.cli.terminal.StatusPrintStream;
import dev.ssmsession.client.SessionManager;
import dev.ssmsession.client.SessionRequest;
import dev.ssmsession.client.SessionToken;
import dev.ssmsession.testkit.LocalSessionManager;
import dev.ssmsession.testkit.TestkitCredentials;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/** The plugin over the real client library: the agent's HandshakeComplete message goes to stdout, as in Go. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PluginCustomerMessageTest {
    @TempDir
    Path dir;

    @Test
    void kmsMessageIsPrintedOnStdoutBeforeTheSessionsOutput() throws Exception {
        try (LocalSessionManager local = LocalSessionManager.builder().kmsEncryption(true).build().start()) {
            TestkitCredentials c = local.credentials();
            SessionToken token;
            try (SessionManager api = SessionManager.builder().region(local.region())
                    .ssmEndpoint(local.ssmEndpoint()).environment(Map.of())
                    .credentialsProvider(StaticCredentialsProvider.create(
                            AwsSessionCredentials.create(c.accessKeyId(), c.secretAccessKey(), c.sessionToken())))
                    .build()) {
                token = api.startSession(SessionRequest.command(local.defaultTarget(), "echo hi"));
            }
            String response = "{\"SessionId\":\"" + token.sessionId() + "\",\"TokenValue\":\"" + token.tokenValue()
                    + "\",\"StreamUrl\":\"" + token.streamUrl() + "\"}";
            String request = "{\"Target\":\"" + local.defaultTarget() + "\"}";
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            StatusPrintStream status = StatusPrintStream.over(err, () -> false, StandardCharsets.UTF_8);
            Map<String, String> env = Map.of("SSM_SESSION_LOG_FILE", dir.resolve("plugin.log").toString(),
                    "AWS_ENDPOINT_URL_KMS", local.kmsEndpoint().toString());
            PrintStream stdout = new PrintStream(out, true, StandardCharsets.UTF_8);
            CliContext context = new CliContext(new ByteArrayInputStream(new byte[0]), stdout, status, env, null,
                    Optional::empty);
            int exit = withSystemCredentials(c, () -> new PluginMain(context,
                    DefaultAttacher.create(env, stdout, status)).run(List.of(response, local.region(),
                    "StartSession", "", request, local.ssmEndpoint().toString())));
            String errText = err.toString(StandardCharsets.UTF_8);
            assertThat(exit).as(errText).isZero();
            assertThat(out.toString(StandardCharsets.UTF_8))
                    .isEqualTo("This session is encrypted using AWS KMS.\nhi\n");
            assertThat(errText).doesNotContain("encrypted");
        }
    }

    /** The plugin resolves credentials with the SDK's default chain, whose first link is these system properties. */
    private static int withSystemCredentials(TestkitCredentials c, java.util.function.IntSupplier run) {
        Map<String, String> props = Map.of("aws.accessKeyId", c.accessKeyId(), "aws.secretAccessKey",
                c.secretAccessKey(), "aws.sessionToken", c.sessionToken());
        props.forEach(System::setProperty);
        try {
            return run.getAsInt();
        } finally {
            props.keySet().forEach(System::clearProperty);
        }
    }
}
