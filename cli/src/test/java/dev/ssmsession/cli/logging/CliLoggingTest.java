package dev.ssmsession.cli.logging;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ssmsession.cli.Logging;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

class CliLoggingTest {
    private static final LogConfig CLI_DEFAULTS = new LogConfig(Level.WARN, Map.of("dev.ssmsession", Level.INFO,
            "software.amazon.awssdk", Level.INFO));

    @TempDir
    Path dir;

    private final List<String> lines = new ArrayList<>();
    private final LogSink capture = lines::add;

    @Test
    void thresholdIsTheLongestPrefixEndingAtADot() {
        LogConfig config = new LogConfig(Level.WARN, Map.of("dev.ssmsession", Level.INFO, "dev.ssmsession.client",
                Level.DEBUG));

        assertThat(config.threshold("dev.ssmsession.client.internal.WebSocketConnection")).isEqualTo(Level.DEBUG);
        assertThat(config.threshold("dev.ssmsession.cli.plugin.PluginMain")).isEqualTo(Level.INFO);
        assertThat(config.threshold("dev.ssmsession")).isEqualTo(Level.INFO);
        assertThat(config.threshold("dev.ssmsessionx.Other")).isEqualTo(Level.WARN);
        assertThat(config.threshold("org.apache.http.wire")).isEqualTo(Level.WARN);
        assertThat(LogConfig.OFF.threshold("dev.ssmsession.X")).isNull();
    }

    @Test
    void nothingIsWrittenUntilConfiguredAndLevelsFollowEachConfiguration() {
        CliLoggerFactory factory = new CliLoggerFactory();
        Logger app = factory.getLogger("dev.ssmsession.cli.plugin.PluginMain");
        Logger sdk = factory.getLogger("software.amazon.awssdk.request");
        app.error("before configure");
        assertThat(app.isErrorEnabled()).isFalse();

        factory.configure(CLI_DEFAULTS, capture);
        app.info("started {} of {}", 1, 2);
        app.debug("not at INFO");
        sdk.debug("wire-level: never below INFO");
        sdk.info("sdk info");
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).endsWith(" INFO  [" + Thread.currentThread().getName()
                + "] d.ssmsession.cli.plugin.PluginMain - started 1 of 2\n");
        assertThat(lines.get(1)).contains(" INFO  ", " software.amazon.awssdk.request - sdk info");

        factory.configure(new LogConfig(Level.INFO, Map.of("dev.ssmsession", Level.DEBUG)), capture);
        assertThat(app.isDebugEnabled()).as("a logger made before the new configuration follows it").isTrue();
        factory.configure(LogConfig.OFF, LogSink.OFF);
        app.error("after off");
        assertThat(lines).hasSize(2);
    }

    @Test
    void linesHaveTimeLevelThreadLoggerAndStackTrace() {
        CliLoggerFactory factory = new CliLoggerFactory();
        factory.configure(CLI_DEFAULTS, capture);

        factory.getLogger("dev.ssmsession.client.internal.WebSocketConnection")
                .warn("closed {}", "abnormally", new IllegalStateException("boom"));

        assertThat(lines).singleElement().asString()
                .matches("(?s)\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d,\\d{3} WARN  \\[[^]]+] "
                        + "d\\.s\\.c\\.internal\\.WebSocketConnection - closed abnormally\n"
                        + "java\\.lang\\.IllegalStateException: boom\n\tat .*");
    }

    @Test
    void namesAreShortenedLikeLogbacksLoggerWidth() {
        assertThat(CliLogger.abbreviate("dev.ssmsession.client.internal.HandlerDispatch", 36))
                .isEqualTo("d.s.client.internal.HandlerDispatch");
        assertThat(CliLogger.abbreviate("dev.ssmsession.cli.plugin.PluginMain", 36)).isEqualTo("d.ssmsession.cli.plugin.PluginMain");
        assertThat(CliLogger.abbreviate("dev.ssmsession.cli.plugin.Attach", 36)).isEqualTo("dev.ssmsession.cli.plugin.Attach");
        assertThat(CliLogger.abbreviate("a.b.AVeryLongClassNameThatIsLongerThanTheWidthItself", 10))
                .isEqualTo("a.b.AVeryLongClassNameThatIsLongerThanTheWidthItself");
    }

    @Test
    void theFileRollsOverAtItsSizeKeepingTheNewestFiles() throws IOException {
        Path file = dir.resolve("ssm-session.log");
        try (LogSink sink = LogSink.rollingFile(file, 100, 2)) {
            for (int i = 0; i < 12; i++) {
                sink.write(String.format("line %02d %s\n", i, "x".repeat(30)));
            }
        }
        // 40 bytes a line, 100 a file: two lines per file; the current file and two old ones are kept
        assertThat(Files.readString(file)).startsWith("line 10").contains("line 11");
        assertThat(Files.readString(dir.resolve("ssm-session.log.1"))).startsWith("line 08");
        assertThat(Files.readString(dir.resolve("ssm-session.log.2"))).startsWith("line 06");
        assertThat(dir.resolve("ssm-session.log.3")).doesNotExist();
    }

    @Test
    void theCliConfiguresThisBackendThroughSlf4j() throws IOException {
        assertThat(LoggerFactory.getILoggerFactory()).isInstanceOf(CliLoggerFactory.class);
        Path file = dir.resolve("logs").resolve("cli.log");
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        try {
            Logging.configure(false, file, new PrintStream(errors, true, StandardCharsets.UTF_8));
            LoggerFactory.getLogger("dev.ssmsession.cli.Test").info("into the file");
            LoggerFactory.getLogger("org.example.Library").info("below the root's WARN");

            assertThat(Files.readString(file)).contains("INFO  [", "dev.ssmsession.cli.Test - into the file")
                    .doesNotContain("below the root");
            Path blocked = Files.writeString(dir.resolve("not-a-directory"), "");
            Logging.configure(false, blocked.resolve("x.log"), new PrintStream(errors, true, StandardCharsets.UTF_8));
            assertThat(errors.toString(StandardCharsets.UTF_8)).contains("cannot write the log file", "logging is off");
        } finally {
            ((CliLoggerFactory) LoggerFactory.getILoggerFactory()).configure(LogConfig.OFF, LogSink.OFF);
        }
    }
}
