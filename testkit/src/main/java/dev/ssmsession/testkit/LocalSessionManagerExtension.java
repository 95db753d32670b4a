package dev.ssmsession.testkit;

import java.util.Objects;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension that runs a {@link LocalSessionManager} on ephemeral loopback ports.
 *
 * <ul>
 *   <li>{@code @ExtendWith(LocalSessionManagerExtension.class)}: one default testkit per test class,
 *       injected into test and lifecycle method parameters of type {@link LocalSessionManager}.</li>
 *   <li>{@code @RegisterExtension static final LocalSessionManagerExtension LOCAL =
 *       new LocalSessionManagerExtension(LocalSessionManager.builder().kmsEncryption(true));}: a configured
 *       testkit per class, also reachable as {@code LOCAL.get()}.</li>
 *   <li>The same on an instance field: a fresh testkit for every test method.</li>
 * </ul>
 */
public final class LocalSessionManagerExtension
        implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback, ParameterResolver {
    private final LocalSessionManager.Builder builder;
    private LocalSessionManager local;
    private boolean perMethod;

    public LocalSessionManagerExtension() {
        this(LocalSessionManager.builder());
    }

    public LocalSessionManagerExtension(LocalSessionManager.Builder builder) {
        this.builder = Objects.requireNonNull(builder, "builder");
    }

    /**
     * The running testkit.
     *
     * @throws IllegalStateException outside a test's lifecycle
     */
    public LocalSessionManager get() {
        if (local == null) {
            throw new IllegalStateException("the local Session Manager runs only while a test does");
        }
        return local;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        local = builder.build().start();
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        if (local == null) {
            // Registered on an instance field: JUnit calls beforeEach only, so each test gets its own.
            perMethod = true;
            local = builder.build().start();
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (perMethod) {
            stop();
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        stop();
    }

    private void stop() {
        if (local != null) {
            local.close();
            local = null;
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameterContext.getParameter().getType() == LocalSessionManager.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        if (local == null) {
            local = builder.build().start();
            perMethod = true;
        }
        return local;
    }
}
