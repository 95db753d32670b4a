package dev.ssmsession.protocol.payload;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThatCode;

@Tag("pure")
class PayloadsWarmUpTest {
    @Test
    void everyCannedExampleParsesAndWrites() {
        // warmUp() swallows failures (it is only a warm-up); a broken example would silently warm nothing
        assertThatCode(Payloads::warmUpExamples).doesNotThrowAnyException();
        assertThatCode(Payloads::warmUp).doesNotThrowAnyException();
    }
}
