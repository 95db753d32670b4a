package dev.ssmsession.protocol.handshake;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@Tag("pure")
class VersionsTest {

    @ParameterizedTest(name = "{0} > {1} is {2}")
    @CsvSource({
            "3.0.196.1, 3.0.196.0, true",
            "3.0.196.0, 3.0.196.0, false",
            "3.0.195.9, 3.0.196.0, false",
            "3.0.1000.0, 3.0.196.0, true",   // numeric, not lexical
            "10.0.0.0, 9.9.9.9, true",
            "3.1.1511.0, 3.1.1511.0, false",
            "3.1.1512.0, 3.1.1511.0, true",
            "3.0.196, 3.0.196.0, false",      // component counts differ: unparsable for the Go client
            "3.0.196.0.1, 3.0.196.0, false",
            "3.3.x.0, 3.0.196.0, false",
            "3.3..0, 3.0.196.0, false",
            "'', 3.0.196.0, false",
            "+3.3.0.0, 3.0.196.0, false",
            "3.3.0.0-beta, 3.0.196.0, false",
    })
    void isGreaterThanIsStrictNumericSameLength(String version, String threshold, boolean expected) {
        assertThat(Versions.isGreaterThan(version, threshold)).isEqualTo(expected);
    }

    @Test
    void nullIsNeverGreater() {
        assertThat(Versions.isGreaterThan(null, "1.0.0.0")).isFalse();
        assertThat(Versions.clientUsesSmux(null)).isFalse();
        assertThat(Versions.agentUsesSmux(null)).isFalse();
    }

    @Test
    void clientSideGates() {
        assertThat(Versions.clientUsesSmux("3.0.196.0")).isFalse();
        assertThat(Versions.clientUsesSmux("3.0.222.0")).isTrue();
        assertThat(Versions.clientDisablesSmuxKeepalive("3.1.1511.0")).isFalse();
        assertThat(Versions.clientDisablesSmuxKeepalive("3.1.1601.0")).isTrue();
        assertThat(Versions.agentSupportsTerminateSessionFlag("2.3.722.0")).isFalse();
        assertThat(Versions.agentSupportsTerminateSessionFlag("2.3.930.0")).isTrue();
        assertThat(Versions.clientUsesSmux("unknown")).isFalse();
    }

    @Test
    void agentSideGatesPadTheThreePartThreshold() {
        assertThat(Versions.agentUsesSmux("1.1.70.0")).isTrue();     // ≥, with 1.1.70 padded to 1.1.70.0
        assertThat(Versions.agentUsesSmux("1.1.70")).isTrue();
        assertThat(Versions.agentUsesSmux("1.1.69.9")).isFalse();
        assertThat(Versions.agentUsesSmux("1.2.0.0")).isTrue();
        assertThat(Versions.agentUsesSmux("garbage")).isFalse();
        assertThat(Versions.agentDisablesSmuxKeepalive("1.2.331.0")).isFalse();
        assertThat(Versions.agentDisablesSmuxKeepalive("1.2.332.0")).isTrue();
        assertThat(Versions.agentDisablesSmuxKeepalive("1.2.677.0")).isTrue();
    }
}
