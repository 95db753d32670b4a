package dev.ssmsession.cli.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import org.jline.utils.Signals;

/**
 * Handlers for SIGINT and friends, installed even when the signal was inherited as ignored: the AWS CLI ignores
 * SIGINT/SIGQUIT/SIGTSTP while the plugin runs (SPEC §9), and a JVM started with SIGINT ignored would otherwise
 * never see Ctrl-C. Uses JLine's reflective wrapper of {@code sun.misc.Signal}. {@link #close()} puts the previous
 * handlers back.
 */
public final class Interrupts implements AutoCloseable {
    private final Map<String, Object> previous = new LinkedHashMap<>();

    private Interrupts() {}

    /** Runs {@code handler} (on a signal thread) for each of {@code signals}, e.g. "INT", "TSTP". */
    public static Interrupts on(Runnable handler, String... signals) {
        Interrupts interrupts = new Interrupts();
        for (String signal : signals) {
            Object old = Signals.register(signal, handler);
            interrupts.previous.put(signal, old);
        }
        return interrupts;
    }

    @Override
    public void close() {
        previous.forEach(Signals::unregister);
        previous.clear();
    }
}
