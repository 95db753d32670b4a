package dev.ssmsession.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** Versions stamped at build time into {@code version.properties}. */
public final class Version {
    private static final Properties PROPERTIES = load();

    private Version() {}

    /** This project's version, e.g. {@code 0.1.0-SNAPSHOT}. */
    public static String project() {
        return PROPERTIES.getProperty("version", "unknown");
    }

    /**
     * The session-manager-plugin release we are compatible with. Reported by {@code --version} of the plugin
     * entry point: the AWS CLI only uses the env-var path above 1.2.497.0 (SPEC §9), and agents key behaviour off
     * it as ClientVersion (SPEC §8.6).
     */
    public static String pluginCompat() {
        return PROPERTIES.getProperty("pluginCompatVersion", "1.2.764.0");
    }

    /** What {@code ssm-session --version} prints. */
    public static String[] lines() {
        return new String[] {
            "ssm-session " + project(),
            "session-manager-plugin compatible " + pluginCompat(),
            "Java " + Runtime.version() + " (" + System.getProperty("java.vendor") + ")"
        };
    }

    private static Properties load() {
        Properties properties = new Properties();
        try (InputStream in = Version.class.getResourceAsStream("version.properties")) {
            if (in != null) {
                properties.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read version.properties", e);
        }
        return properties;
    }
}
