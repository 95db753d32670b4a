package dev.ssmsession.client.internal;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

@Tag("pure")
class MessageIdsTest {
    @Test
    void randomVersionFourIetfVariantAndNoRepeats() {
        MessageIds ids = new MessageIds(42);
        Set<UUID> seen = new HashSet<>();
        for (int i = 0; i < 100_000; i++) {
            UUID u = ids.get();
            assertThat(u.version()).isEqualTo(4);
            assertThat(u.variant()).isEqualTo(2);
            assertThat(seen.add(u)).isTrue();
        }
    }

    @Test
    void sessionsDrawDifferentSequences() {
        assertThat(new MessageIds().get()).isNotEqualTo(new MessageIds().get());
    }
}
