package dev.ssmsession.protocol.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("pure")
class DataChannelConfigTest {

    @Test
    void defaultsFollowTheSpec() {
        DataChannelConfig c = DataChannelConfig.builder().build();

        assertThat(c.chunkSize()).isEqualTo(1024);
        assertThat(c.messagesPerSecond()).isEqualTo(950);
        assertThat(c.pacing()).as("adaptive from 950").isEqualTo(DataChannelConfig.Pacing.ADAPTIVE);
        assertThat(c.maxUnacked()).isEqualTo(10_000);
        assertThat(c.reorderCapacity()).isEqualTo(10_000);
        assertThat(c.giveUpAfter()).isEqualTo(Duration.ofSeconds(300));
    }

    @Test
    void toBuilderKeepsEveryValue() {
        DataChannelConfig c = DataChannelConfig.builder().chunkSize(4096).messagesPerSecond(0).maxUnacked(5)
                .maxPendingBytes(10).reorderCapacity(3).giveUpAfter(Duration.ofSeconds(9)).build();

        assertThat(c.toBuilder().build()).isEqualTo(c);
        DataChannelConfig adaptive = c.toBuilder().messagesPerSecond(900).pacing(DataChannelConfig.Pacing.ADAPTIVE).build();
        assertThat(adaptive.toBuilder().build()).isEqualTo(adaptive);
        assertThat(adaptive.toBuilder().messagesPerSecond(800).build().pacing())
                .as("a rate set on a builder that already says adaptive stays adaptive").isEqualTo(DataChannelConfig.Pacing.ADAPTIVE);
    }

    @Test
    void outOfRangeValuesAreRejectedNamingTheValue() {
        assertThatThrownBy(() -> DataChannelConfig.builder().chunkSize(0).build()).hasMessageContaining("chunkSize 0");
        assertThatThrownBy(() -> DataChannelConfig.builder().chunkSize(2 << 20).build()).hasMessageContaining("chunkSize 2097152");
        assertThatThrownBy(() -> DataChannelConfig.builder().messagesPerSecond(-1).build()).hasMessageContaining("messagesPerSecond -1");
        assertThatThrownBy(() -> DataChannelConfig.builder().maxUnacked(0).build()).hasMessageContaining("maxUnacked 0");
        assertThatThrownBy(() -> DataChannelConfig.builder().maxPendingBytes(0).build()).hasMessageContaining("maxPendingBytes 0");
        assertThatThrownBy(() -> DataChannelConfig.builder().giveUpAfter(Duration.ZERO).build()).hasMessageContaining("giveUpAfter PT0S");
    }
}
