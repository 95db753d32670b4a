package dev.ssmsession.web;

import dev.ssmsession.client.ManagedInstance;
import java.util.List;

/** The managed nodes the page offers when no target was given; e.g. {@code sessionManager::managedInstances}. */
@FunctionalInterface
public interface InstanceDirectory {
    /** @throws RuntimeException when they cannot be listed; its message is shown in the page */
    List<ManagedInstance> list();
}
