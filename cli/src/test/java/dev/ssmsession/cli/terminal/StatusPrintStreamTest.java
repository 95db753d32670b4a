package dev.ssmsession.cli.terminal;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class StatusPrintStreamTest {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

    private String written() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aStatusOfSeveralLinesIsRedrawnAndErasedAsAWhole() {
        StatusPrintStream err = StatusPrintStream.over(bytes, () -> true, StandardCharsets.UTF_8);
        err.status("8080: a\n5432: b");
        assertThat(written()).isEqualTo("\r\n8080: a\r\n5432: b");
        bytes.reset();

        err.status("8080: c\n5432: d");
        // erase the last line, then go up and erase the one above, then draw both again
        assertThat(written()).isEqualTo("\r\033[K\033[1A\r\033[K8080: c\r\n5432: d");
        bytes.reset();

        err.status("only one");
        assertThat(written()).isEqualTo("\r\033[K\033[1A\r\033[Konly one");
        bytes.reset();

        err.clearStatus();
        assertThat(written()).isEqualTo("\r\033[K");
        bytes.reset();
        err.print("after\n");
        assertThat(written()).as("nothing ended a status that is gone").isEqualTo("after\n");
    }

    @Test
    void otherTextEndsTheStatusBelowItsLastLine() {
        StatusPrintStream err = StatusPrintStream.over(bytes, () -> true, StandardCharsets.UTF_8);
        err.status("a\nb");
        err.print("log line\n");
        err.flush();
        assertThat(written()).isEqualTo("\r\na\r\nb\r\nlog line\n");
    }

    @Test
    void withoutATerminalEveryStatusIsPlainLines() {
        StatusPrintStream err = StatusPrintStream.over(bytes, () -> false, StandardCharsets.UTF_8);
        err.status("a\nb");
        err.clearStatus();
        assertThat(written()).isEqualTo("a\nb\n");
    }
}
