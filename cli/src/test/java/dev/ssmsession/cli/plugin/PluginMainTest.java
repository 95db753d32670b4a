package dev.ssmsession.cli.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ssmsession.cli.CliContext;
import dev.ssmsession.cli.terminal.RemoteShell;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The plugin entry point's observable behaviour: streams, texts and exit statuses. */
class PluginMainTest {
    private static final String RESPONSE = "{\"SessionId\": \"bob-0123\", \"TokenValue\": \"SECRET-TOKEN\", "
            + "\"StreamUrl\": \"wss://127.0.0.1:1/v1/data-channel/bob-0123?role=publish_subscribe\"}";

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final List<PluginInvocation> attached = new ArrayList<>();

    private int run(Map<String, String> env, SessionAttacher attacher, String... args) {
        Map<String, String> withLog = new java.util.HashMap<>(env);
        withLog.put("SSM_SESSION_LOG_FILE", dir.resolve("plugin.log").toString());
        CliContext context = new CliContext(new ByteArrayInputStream(new byte[0]),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                withLog, null, Optional::empty);
        return new PluginMain(context, invocation -> {
            attached.add(invocation);
            return attacher.attach(invocation);
        }).run(List.of(args));
    }

    private int run(String... args) {
        return run(Map.of(), invocation -> {
            throw new AssertionError("must not attach");
        }, args);
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void installationCheckPrintsTheGoTextAndSucceeds() {
        assertThat(run()).isZero();
        assertThat(out()).isEqualTo("\nThe Session Manager plugin was installed successfully. "
                + "Use the AWS CLI to start a session.\n\n");
    }

    @Test
    void versionIsAboveTheEnvVarThresholdOfTheAwsCli() {
        assertThat(run("--version")).isZero();
        assertThat(out()).isEqualTo("1.2.764.0\n");
        int[] parts = java.util.Arrays.stream(out().strip().split("\\.")).mapToInt(Integer::parseInt).toArray();
        assertThat(parts).hasSize(4);
        assertThat(parts[0] * 1_000_000_000L + parts[1] * 1_000_000L + parts[2] * 1_000L + parts[3])
                .isGreaterThan(1_002_497_000L);
    }

    @Test
    void unknownOperationExitsNonZero() {
        assertThat(run("hello")).isEqualTo(2);
        assertThat(err()).contains("Unknown operation hello. \nUse session-manager-plugin --version");
        assertThat(out()).isEmpty();
    }

    @Test
    void badResponseIsCannotPerformStartSession() {
        assertThat(run("{not json", "us-east-1", "StartSession")).isEqualTo(1);
        assertThat(err()).startsWith("Cannot perform start session: the session response is not valid JSON");
    }

    @Test
    void shellSessionExitsWithTheRemoteExitCodeAndNeverPrintsTheToken() {
        int status = run(Map.of("AWS_SSM_START_SESSION_RESPONSE", RESPONSE),
                invocation -> new Attached.Shell(endedShell(invocation.response().sessionId(), OptionalInt.of(5))),
                "AWS_SSM_START_SESSION_RESPONSE", "us-east-1", "StartSession", "", "{\"Target\": \"i-1\"}",
                "http://127.0.0.1:9/");

        assertThat(status).isEqualTo(5);
        assertThat(attached.get(0).target()).isEqualTo("i-1");
        assertThat(err()).contains("\nStarting session with SessionId: bob-0123\n",
                "\n\nExiting session with sessionId: bob-0123.\n\n");
        assertThat(out()).isEqualTo("remote says hi\r\n");
        assertThat(out() + err()).doesNotContain("SECRET-TOKEN");
    }

    @Test
    void attachFailureIsOneLineAndNonZero() {
        int status = run(Map.of(), invocation -> {
            throw new IllegalStateException("data channel refused: 403");
        }, RESPONSE, "us-east-1", "StartSession");
        assertThat(status).isEqualTo(1);
        assertThat(err()).contains("Cannot perform start session: data channel refused: 403\nhint: ");
        assertThat(err()).doesNotContain("\tat ", "SECRET-TOKEN");
    }

    private static RemoteShell endedShell(String sessionId, OptionalInt exit) {
        return new RemoteShell() {
            @Override
            public String sessionId() {
                return sessionId;
            }

            @Override
            public OutputStream input() {
                return OutputStream.nullOutputStream();
            }

            @Override
            public InputStream output() {
                return new ByteArrayInputStream("remote says hi\r\n".getBytes(StandardCharsets.US_ASCII));
            }

            @Override
            public void resize(int cols, int rows) {}

            @Override
            public CompletableFuture<OptionalInt> completion() {
                return CompletableFuture.completedFuture(exit);
            }

            @Override
            public void terminate() {}
        };
    }
}
