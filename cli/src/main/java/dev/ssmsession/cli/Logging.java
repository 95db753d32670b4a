package dev.ssmsession.cli;

import dev.ssmsession.cli.logging.CliLoggerFactory;
import dev.ssmsession.cli.logging.LogConfig;
import dev.ssmsession.cli.logging.LogSink;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * Where logs go: a rotating file (default {@code ~/.ssm-session/logs/ssm-session.log}, 10 MB, five old files kept) so
 * stdout stays session data only, or stderr with {@code --debug}. Configured in code once the options are known;
 * until then everything is off (the backend, {@code dev.ssmsession.cli.logging}, starts that way).
 */
public final class Logging {
    private static final String APP_PACKAGE = "dev.ssmsession";
    private static final long MAX_FILE_BYTES = 10L * 1024 * 1024;
    private static final int OLD_FILES = 5;

    private Logging() {}

    public static Path defaultLogFile() {
        return Path.of(System.getProperty("user.home"), ".ssm-session", "logs", "ssm-session.log");
    }

    /**
     * @param logFile null for the default
     * @param errors where to say that the log file cannot be used (logging then stays off)
     */
    public static void configure(boolean debug, Path logFile, PrintStream errors) {
        if (!(LoggerFactory.getILoggerFactory() instanceof CliLoggerFactory factory)) {
            return; // another SLF4J backend on the class path (an embedder's): its configuration rules
        }
        // Wire-level loggers of the SDK and the WebSocket library can show request bodies and frames (tokens):
        // never below INFO, even with --debug.
        LogConfig config = new LogConfig(debug ? Level.INFO : Level.WARN, Map.of(
                APP_PACKAGE, debug ? Level.DEBUG : Level.INFO,
                "software.amazon.awssdk", Level.INFO,
                "org.java_websocket", Level.INFO));
        if (debug) {
            factory.configure(config, LogSink.stream(System.err));
            return;
        }
        Path file = logFile != null ? logFile : defaultLogFile();
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            factory.configure(config, LogSink.rollingFile(file, MAX_FILE_BYTES, OLD_FILES));
        } catch (IOException | SecurityException e) {
            errors.println("ssm-session: cannot write the log file " + file + " (" + e.getMessage()
                    + "); logging is off. Use --log-file PATH or --debug.");
            factory.configure(LogConfig.OFF, LogSink.OFF);
        }
    }
}
