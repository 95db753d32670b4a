package dev.ssmsession.cli.logging;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;

/** One named logger; its threshold follows the factory's configuration. */
final class CliLogger extends LegacyAbstractLogger {
    private static final long serialVersionUID = 1L;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss,SSS");
    private static final int NAME_WIDTH = 36;

    private final transient CliLoggerFactory factory;
    private final String shortName;
    private transient volatile Settings settings;

    /** The threshold of this logger under one configuration (generation). */
    private record Settings(long generation, int threshold) {}

    CliLogger(String name, CliLoggerFactory factory) {
        this.name = name;
        this.factory = factory;
        this.shortName = abbreviate(name, NAME_WIDTH);
    }

    private boolean enabled(Level level) {
        Settings s = settings;
        long generation = factory.generation();
        if (s == null || s.generation() != generation) {
            Level threshold = factory.config().threshold(name);
            s = new Settings(generation, threshold == null ? Integer.MAX_VALUE : threshold.toInt());
            settings = s;
        }
        return level.toInt() >= s.threshold();
    }

    @Override
    public boolean isTraceEnabled() {
        return enabled(Level.TRACE);
    }

    @Override
    public boolean isDebugEnabled() {
        return enabled(Level.DEBUG);
    }

    @Override
    public boolean isInfoEnabled() {
        return enabled(Level.INFO);
    }

    @Override
    public boolean isWarnEnabled() {
        return enabled(Level.WARN);
    }

    @Override
    public boolean isErrorEnabled() {
        return enabled(Level.ERROR);
    }

    @Override
    protected String getFullyQualifiedCallerName() {
        return null;
    }

    @Override
    protected void handleNormalizedLoggingCall(Level level, Marker marker, String pattern, Object[] arguments,
            Throwable throwable) {
        StringBuilder line = new StringBuilder(128);
        TIME.formatTo(LocalDateTime.now(), line);
        line.append(' ').append(level.name());
        for (int i = level.name().length(); i < 5; i++) {
            line.append(' ');
        }
        line.append(" [").append(Thread.currentThread().getName()).append("] ").append(shortName).append(" - ")
                .append(MessageFormatter.basicArrayFormat(pattern, arguments)).append('\n');
        if (throwable != null) {
            StringWriter trace = new StringWriter();
            throwable.printStackTrace(new PrintWriter(trace));
            line.append(trace);
        }
        factory.sink().write(line.toString());
    }

    /**
     * Logback's {@code %logger{width}}: package segments shortened to their first letter, leftmost first, until the
     * name is shorter than {@code width}; the class name stays whole (so the log reads as it did with Logback).
     */
    static String abbreviate(String name, int width) {
        if (name.length() < width) {
            return name;
        }
        String[] parts = name.split("\\.", -1);
        int length = name.length();
        for (int i = 0; i < parts.length - 1 && length >= width; i++) {
            if (parts[i].length() > 1) {
                length -= parts[i].length() - 1;
                parts[i] = parts[i].substring(0, 1);
            }
        }
        return String.join(".", parts);
    }
}
