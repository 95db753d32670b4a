package dev.ssmsession.client;

import java.util.Objects;
import java.util.Optional;

/**
 * A managed node as {@code DescribeInstanceInformation} reports it.
 *
 * @param instanceId e.g. {@code i-0123456789abcdef0} or {@code mi-…}
 * @param name       the node's name as SSM reports it ({@code Name}), when it has one
 * @param platform   the platform name (e.g. {@code Amazon Linux}), else its type ({@code Linux}, {@code Windows})
 * @param pingStatus {@code Online}, {@code ConnectionLost} or {@code Inactive}
 */
public record ManagedInstance(String instanceId, Optional<String> name, Optional<String> platform,
                              Optional<String> pingStatus) {
    public ManagedInstance {
        Objects.requireNonNull(instanceId, "instanceId");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(platform, "platform");
        Objects.requireNonNull(pingStatus, "pingStatus");
    }
}
