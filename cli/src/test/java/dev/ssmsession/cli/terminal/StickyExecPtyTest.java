package dev.ssmsession.cli.terminal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import org.jline.terminal.Size;
import org.junit.jupiter.api.Test;

class StickyExecPtyTest {

    @Test
    void sizeFromLinuxAndBsdSttyOutput() throws IOException {
        String linux = "speed 38400 baud; rows 24; columns 80; line = 0;\nintr = ^C; quit = ^\\\\; erase = ^?;";
        String bsd = "speed 9600 baud; 50 rows; 132 columns;\nlflags: icanon isig iexten echo";

        assertThat(StickyExecPty.size(linux)).isEqualTo(new Size(80, 24));
        assertThat(StickyExecPty.size(bsd)).isEqualTo(new Size(132, 50));
        assertThatThrownBy(() -> StickyExecPty.size("speed 38400 baud; line = 0;")).isInstanceOf(IOException.class)
                .hasMessageContaining("columns");
    }
}
