package dev.ssmsession.cli.logging;

import java.util.Map;
import org.slf4j.event.Level;

/**
 * Thresholds: a logger logs at its level and above, its level being that of the longest prefix of its name in
 * {@code levels} (a prefix ends at a dot or is the whole name), else {@code root}. {@code null} means off.
 */
public record LogConfig(Level root, Map<String, Level> levels) {
    /** Everything off. */
    public static final LogConfig OFF = new LogConfig(null, Map.of());

    public LogConfig {
        levels = Map.copyOf(levels);
    }

    /** The threshold of logger {@code name}, or null when it is off. */
    Level threshold(String name) {
        String n = name;
        while (true) {
            if (levels.containsKey(n)) {
                return levels.get(n);
            }
            int dot = n.lastIndexOf('.');
            if (dot < 0) {
                return root;
            }
            n = n.substring(0, dot);
        }
    }
}
