package dev.ssmsession.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.rolling.FixedWindowRollingPolicy;
import ch.qos.logback.core.rolling.RollingFileAppender;
import ch.qos.logback.core.rolling.SizeBasedTriggeringPolicy;
import ch.qos.logback.core.util.FileSize;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.LoggerFactory;

/**
 * Where logs go: a rotating file (default {@code ~/.ssm-session/logs/ssm-session.log}) so stdout stays session data
 * only, or stderr with {@code --debug}. Configured in code once the options are known; until then the bundled
 * {@code internal.QuietLogging} keeps everything off.
 */
public final class Logging {
    private static final String PATTERN = "%d{ISO8601} %-5level [%thread] %logger{36} - %msg%n";
    private static final String APP_PACKAGE = "dev.ssmsession";

    private Logging() {}

    public static Path defaultLogFile() {
        return Path.of(System.getProperty("user.home"), ".ssm-session", "logs", "ssm-session.log");
    }

    /**
     * @param logFile null for the default
     * @param errors where to say that the log file cannot be used (logging then stays off)
     */
    public static void configure(boolean debug, Path logFile, PrintStream errors) {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        context.reset();
        ch.qos.logback.classic.Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        Appender<ILoggingEvent> appender;
        if (debug) {
            appender = console(context);
        } else {
            Path file = logFile != null ? logFile : defaultLogFile();
            try {
                Path parent = file.toAbsolutePath().getParent();
                if (parent != null) {
                    Files.createDirectories(parent);
                }
            } catch (IOException | SecurityException e) {
                errors.println("ssm-session: cannot write the log file " + file + " (" + e.getMessage()
                        + "); logging is off. Use --log-file PATH or --debug.");
                root.setLevel(Level.OFF);
                return;
            }
            appender = rollingFile(context, file);
        }
        root.addAppender(appender);
        root.setLevel(debug ? Level.INFO : Level.WARN);
        context.getLogger(APP_PACKAGE).setLevel(debug ? Level.DEBUG : Level.INFO);
        // Wire-level loggers of the SDK and the WebSocket library can show request bodies and frames (tokens):
        // never below INFO, even with --debug.
        context.getLogger("software.amazon.awssdk").setLevel(Level.INFO);
        context.getLogger("org.java_websocket").setLevel(Level.INFO);
    }

    private static PatternLayoutEncoder encoder(LoggerContext context) {
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(PATTERN);
        encoder.start();
        return encoder;
    }

    private static Appender<ILoggingEvent> console(LoggerContext context) {
        ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
        console.setContext(context);
        console.setName("stderr");
        console.setTarget("System.err");
        console.setEncoder(encoder(context));
        console.start();
        return console;
    }

    private static Appender<ILoggingEvent> rollingFile(LoggerContext context, Path file) {
        RollingFileAppender<ILoggingEvent> appender = new RollingFileAppender<>();
        appender.setContext(context);
        appender.setName("file");
        appender.setFile(file.toString());
        FixedWindowRollingPolicy rolling = new FixedWindowRollingPolicy();
        rolling.setContext(context);
        rolling.setParent(appender);
        rolling.setFileNamePattern(file + ".%i");
        rolling.setMinIndex(1);
        rolling.setMaxIndex(5);
        rolling.start();
        SizeBasedTriggeringPolicy<ILoggingEvent> trigger = new SizeBasedTriggeringPolicy<>();
        trigger.setContext(context);
        trigger.setMaxFileSize(FileSize.valueOf("10MB"));
        trigger.start();
        appender.setRollingPolicy(rolling);
        appender.setTriggeringPolicy(trigger);
        appender.setEncoder(encoder(context));
        appender.start();
        return appender;
    }
}
