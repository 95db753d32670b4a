package dev.ssmsession.cli.logging;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.slf4j.ILoggerFactory;
import org.slf4j.Logger;

/** The loggers, their configuration and the sink; {@link #configure} swaps both at once. */
public final class CliLoggerFactory implements ILoggerFactory {
    private final ConcurrentMap<String, CliLogger> loggers = new ConcurrentHashMap<>();
    private volatile State state = new State(LogConfig.OFF, LogSink.OFF, 0);

    private record State(LogConfig config, LogSink sink, long generation) {}

    @Override
    public Logger getLogger(String name) {
        return loggers.computeIfAbsent(name, n -> new CliLogger(n, this));
    }

    /** From now on: these thresholds, lines to this sink (the previous sink is closed). */
    public synchronized void configure(LogConfig config, LogSink sink) {
        LogSink previous = state.sink();
        state = new State(config, sink, state.generation() + 1);
        if (previous != sink) {
            previous.close();
        }
    }

    LogConfig config() {
        return state.config();
    }

    LogSink sink() {
        return state.sink();
    }

    long generation() {
        return state.generation();
    }
}
