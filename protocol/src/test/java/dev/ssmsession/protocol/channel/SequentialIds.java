package dev.ssmsession.protocol.channel;

import java.util.UUID;
import java.util.function.Supplier;

/** Deterministic MessageIds: version-4 shaped UUIDs numbered 1, 2, 3, … */
final class SequentialIds implements Supplier<UUID> {
    private final long prefix;
    private long next = 1;

    SequentialIds(long prefix) {
        this.prefix = prefix;
    }

    @Override
    public UUID get() {
        return new UUID(prefix << 32 | 0x4000L, 0x8000_0000_0000_0000L | next++);
    }
}
