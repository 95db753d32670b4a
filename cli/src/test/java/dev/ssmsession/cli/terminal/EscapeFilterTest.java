package dev.ssmsession.cli.terminal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("pure")
class EscapeFilterTest {
    private int disconnects;
    private int helps;
    private final EscapeFilter filter = new EscapeFilter(new EscapeFilter.Actions() {
        @Override
        public void disconnect() {
            disconnects++;
        }

        @Override
        public void help() {
            helps++;
        }
    });

    private String feed(String typed) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] bytes = typed.getBytes(StandardCharsets.ISO_8859_1);
        filter.filter(bytes, 0, bytes.length, out);
        return out.toString(StandardCharsets.ISO_8859_1);
    }

    @Test
    void tildeDotAtStartDisconnects() {
        assertThat(feed("~.")).isEmpty();
        assertThat(disconnects).isEqualTo(1);
    }

    @Test
    void tildeDotAfterCarriageReturnDisconnectsAndDropsTheRest() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] bytes = "ls\r~.echo".getBytes(StandardCharsets.US_ASCII);
        boolean go = filter.filter(bytes, 0, bytes.length, out);
        assertThat(go).isFalse();
        assertThat(out.toString(StandardCharsets.US_ASCII)).isEqualTo("ls\r");
        assertThat(disconnects).isEqualTo(1);
    }

    @Test
    void tildeInTheMiddleOfALineIsPlainData() {
        assertThat(feed("a~.b")).isEqualTo("a~.b");
        assertThat(disconnects).isZero();
    }

    @Test
    void doubleTildeSendsOneTilde() {
        assertThat(feed("~~x")).isEqualTo("~x");
        // after the literal tilde we are mid-line: a following "~." is data
        assertThat(feed("~.")).isEqualTo("~.");
        assertThat(disconnects).isZero();
    }

    @Test
    void tildeQuestionPrintsHelpAndStaysAtLineStart() {
        assertThat(feed("~?")).isEmpty();
        assertThat(helps).isEqualTo(1);
        assertThat(feed("~.")).isEmpty();
        assertThat(disconnects).isEqualTo(1);
    }

    @Test
    void tildeFollowedByOtherByteSendsBoth() {
        assertThat(feed("~x\r~\r")).isEqualTo("~x\r~\r");
    }

    @Test
    void escapeSplitAcrossReadsStillWorks() {
        assertThat(feed("echo\r")).isEqualTo("echo\r");
        assertThat(feed("~")).isEmpty();
        assertThat(feed(".")).isEmpty();
        assertThat(disconnects).isEqualTo(1);
    }

    @Test
    void lineFeedAlsoStartsALine() {
        assertThat(feed("x\n~~")).isEqualTo("x\n~");
    }

    @Test
    void controlBytesPassThrough() {
        assertThat(feed("\u0003\u001a\u001c\u0004")).isEqualTo("\u0003\u001a\u001c\u0004");
    }
}
