package dev.ssmsession.protocol.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ssmsession.protocol.message.PayloadType;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("pure")
class EncryptedPayloadsTest {

    @Test
    void clientToAgentEncryptsOnlyOutput() {
        Set<PayloadType> encrypted = EnumSet.noneOf(PayloadType.class);
        for (PayloadType t : PayloadType.values()) {
            if (EncryptedPayloads.isEncrypted(Direction.CLIENT_TO_AGENT, t)) {
                encrypted.add(t);
            }
        }
        assertThat(encrypted).containsExactly(PayloadType.OUTPUT);
    }

    @Test
    void agentToClientEncryptsOutputStdErrAndExitCode() {
        Set<PayloadType> encrypted = EnumSet.noneOf(PayloadType.class);
        for (PayloadType t : PayloadType.values()) {
            if (EncryptedPayloads.isEncrypted(Direction.AGENT_TO_CLIENT, t)) {
                encrypted.add(t);
            }
        }
        assertThat(encrypted).containsExactlyInAnyOrder(PayloadType.OUTPUT, PayloadType.STDERR, PayloadType.EXIT_CODE);
    }

    @Test
    void rawWireValuesFollowTheSameTableAndUnknownValuesAreClear() {
        assertThat(EncryptedPayloads.isEncrypted(Direction.AGENT_TO_CLIENT, 12L)).isTrue();
        assertThat(EncryptedPayloads.isEncrypted(Direction.CLIENT_TO_AGENT, 12L)).isFalse();
        assertThat(EncryptedPayloads.isEncrypted(Direction.AGENT_TO_CLIENT, 99L)).isFalse();
        assertThat(EncryptedPayloads.isEncrypted(Direction.AGENT_TO_CLIENT, -1L)).isFalse();
    }

    @Test
    void sidesMapToTheirDirections() {
        assertThat(Side.CLIENT.outgoing()).isEqualTo(Direction.CLIENT_TO_AGENT);
        assertThat(Side.CLIENT.incoming()).isEqualTo(Direction.AGENT_TO_CLIENT);
        assertThat(Side.AGENT.outgoing()).isEqualTo(Direction.AGENT_TO_CLIENT);
        assertThat(Side.AGENT.incoming()).isEqualTo(Direction.CLIENT_TO_AGENT);
    }
}
