package dev.ssmsession.client.internal;

import java.security.SecureRandom;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * MessageIds for one session's messages and acks: random version-4 UUIDs, as {@code UUID.randomUUID()} makes, from
 * a generator seeded once per session from {@link SecureRandom}. The ids need to be unique, not secret (they travel
 * in the clear next to the sequence numbers), and {@code randomUUID()} costs a SecureRandom draw (often a read of
 * {@code /dev/urandom}) for each of the ~2000 messages a second of a busy channel. Not thread-safe: the session
 * lock guards it, like the engine that calls it.
 */
final class MessageIds implements Supplier<UUID> {
    private static final SecureRandom SEEDS = new SecureRandom();
    private final SplittableRandom random;

    MessageIds() {
        this(SEEDS.nextLong());
    }

    MessageIds(long seed) {
        this.random = new SplittableRandom(seed);
    }

    @Override
    public UUID get() {
        long high = (random.nextLong() & ~0xF000L) | 0x4000L;                   // version 4
        long low = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;  // IETF variant
        return new UUID(high, low);
    }
}
