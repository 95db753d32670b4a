package dev.ssmsession.client.internal;

import dev.ssmsession.client.SessionManager;
import java.util.Objects;
import java.util.function.Function;

/**
 * What the project's own modules beside the library may reach of a {@link SessionManager} and applications may not:
 * its {@link AwsSetup}, from which the doctor builds its EC2, IAM and STS clients and reads the endpoints, proxy and
 * CA bundle, so that every check uses the very configuration (and credentials, and HTTP client) the sessions use.
 *
 * <p>{@code SessionManager} has no public method returning an internal type; it hands this class its accessor once,
 * from its static initialiser, which has run before any caller can hold a manager. The client's
 * {@code module-info} exports this package to the project's modules only. A static hand-over like the JDK's
 * {@code SharedSecrets}, kept to one accessor: anything else a module needs of a manager belongs in its public API.
 */
public final class ManagerInternals {
    private static volatile Function<SessionManager, AwsSetup> awsSetups;

    private ManagerInternals() {
    }

    /**
     * Called by {@code SessionManager} alone, once.
     *
     * @throws IllegalStateException when an accessor is already installed (no one may replace the manager's own)
     */
    public static synchronized void install(Function<SessionManager, AwsSetup> accessor) {
        Objects.requireNonNull(accessor, "accessor");
        if (awsSetups != null) {
            throw new IllegalStateException("the SessionManager accessor is installed already");
        }
        awsSetups = accessor;
    }

    /**
     * The resolved AWS configuration of {@code manager} and its SDK clients; closed with the manager. The caller
     * closes the clients it builds with {@link AwsSetup#configure}, never the setup.
     */
    public static AwsSetup awsSetup(SessionManager manager) {
        Objects.requireNonNull(manager, "manager");
        return awsSetups.apply(manager);
    }
}
