package dev.ssmsession.protocol.channel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ssmsession.protocol.crypto.Direction;
import dev.ssmsession.protocol.crypto.EncryptedPayloads;
import dev.ssmsession.protocol.message.MessageType;
import dev.ssmsession.protocol.message.PayloadType;
import java.util.EnumSet;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The role's direction-specific facts (SPEC §2.1, §5.5). */
@Tag("pure")
class ChannelRoleTest {

    private static Set<PayloadType> matching(Predicate<PayloadType> p) {
        Set<PayloadType> out = EnumSet.noneOf(PayloadType.class);
        for (PayloadType t : PayloadType.values()) {
            if (p.test(t)) {
                out.add(t);
            }
        }
        return out;
    }

    @Test
    void clientEncryptsOnlyOutputAndDecryptsOutputStdErrAndExitCode() {
        assertThat(matching(ChannelRole.CLIENT::encryptsOutgoing)).containsExactly(PayloadType.OUTPUT);
        assertThat(matching(ChannelRole.CLIENT::decryptsIncoming))
                .containsExactlyInAnyOrder(PayloadType.OUTPUT, PayloadType.STDERR, PayloadType.EXIT_CODE);
    }

    @Test
    void agentIsTheMirrorImage() {
        assertThat(matching(ChannelRole.AGENT::encryptsOutgoing))
                .containsExactlyInAnyOrder(PayloadType.OUTPUT, PayloadType.STDERR, PayloadType.EXIT_CODE);
        assertThat(matching(ChannelRole.AGENT::decryptsIncoming)).containsExactly(PayloadType.OUTPUT);
    }

    @Test
    void rolesAgreeWithEncryptedPayloadsForEveryTypeInTheirDirection() {
        for (PayloadType t : PayloadType.values()) {
            assertThat(ChannelRole.CLIENT.encryptsOutgoing(t)).as("client out %s", t)
                    .isEqualTo(EncryptedPayloads.isEncrypted(Direction.CLIENT_TO_AGENT, t));
            assertThat(ChannelRole.CLIENT.decryptsIncoming(t)).as("client in %s", t)
                    .isEqualTo(EncryptedPayloads.isEncrypted(Direction.AGENT_TO_CLIENT, t));
            assertThat(ChannelRole.AGENT.encryptsOutgoing(t)).as("agent out %s", t)
                    .isEqualTo(EncryptedPayloads.isEncrypted(Direction.AGENT_TO_CLIENT, t));
            assertThat(ChannelRole.AGENT.decryptsIncoming(t)).as("agent in %s", t)
                    .isEqualTo(EncryptedPayloads.isEncrypted(Direction.CLIENT_TO_AGENT, t));
        }
    }

    @Test
    void anUnknownPayloadTypeIsNeverEncrypted() {
        for (ChannelRole r : ChannelRole.values()) {
            assertThat(r.encryptsOutgoing(null)).isFalse();
            assertThat(r.decryptsIncoming(null)).isFalse();
        }
    }

    @Test
    void messageTypesAndFirstMessageFlags() {
        assertThat(ChannelRole.CLIENT.sends()).isEqualTo(MessageType.INPUT_STREAM_DATA);
        assertThat(ChannelRole.CLIENT.receives()).isEqualTo(MessageType.OUTPUT_STREAM_DATA);
        assertThat(ChannelRole.AGENT.sends()).isEqualTo(MessageType.OUTPUT_STREAM_DATA);
        assertThat(ChannelRole.AGENT.receives()).isEqualTo(MessageType.INPUT_STREAM_DATA);
        assertThat(ChannelRole.CLIENT.flagsFor(0)).isZero();
        assertThat(ChannelRole.AGENT.flagsFor(0)).isEqualTo(1);
        assertThat(ChannelRole.AGENT.flagsFor(1)).isZero();
    }
}
