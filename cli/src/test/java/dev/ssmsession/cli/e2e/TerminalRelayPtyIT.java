package dev.ssmsession.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.pty4j.WinSize;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The relay on a real terminal: a JVM running {@code LoopbackShellHarness} on a PTY. Proves that the raw mode set
 * through JLine's system terminal lets Ctrl-C/Ctrl-Z/Ctrl-\ and Enter through as bytes (the process is not killed
 * or stopped), that SIGWINCH reaches the remote as a resize, and that {@code ~.} ends the relay and restores the
 * terminal.
 */
class TerminalRelayPtyIT {
    @Test
    void controlKeysResizeAndEscapeOnARealTerminal() throws Exception {
        try (PtyScreen pty = harness()) {
            int at = pty.await("[size 80x24]");
            pty.type((byte) 0x03);
            at = pty.await("[03]", at, 30);
            pty.type((byte) 0x1a);
            at = pty.await("[1a]", at, 30);
            pty.type((byte) 0x1c);
            at = pty.await("[1c]", at, 30);
            pty.type((byte) '\r');
            at = pty.await("[0d]", at, 30);
            pty.type((byte) 0x11); // Ctrl-Q: IXON off, so not eaten by flow control
            at = pty.await("[11]", at, 30);

            pty.process.setWinSize(new WinSize(132, 40));
            at = pty.await("[size 132x40]", at, 30);

            pty.type("~~"); // not after a newline: plain data
            at = pty.await("[7e7e]", at, 30);
            pty.type("\r~.");
            at = pty.await("[0d]", at, 30);
            pty.await("[relay-exit 0 cooked=true", at, 30);
            assertThat(pty.exitCode(30)).isZero();
            assertThat(pty.text().substring(at)).doesNotContain("[7e");
        }
    }

    /** {@code LoopbackShellHarness} in a JVM of its own on an 80x24 PTY. */
    private static PtyScreen harness() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("TERM", "xterm-256color");
        String[] command = {java, "-cp", System.getProperty("java.class.path"),
            "dev.ssmsession.cli.terminal.LoopbackShellHarness"};
        return new PtyScreen(command, env, 80, 24);
    }

    /**
     * A keystroke is sent the moment it is read: while the relay runs, the TTY stays at VMIN 1 / VTIME 0, so a read
     * returns as soon as one byte is there. (JLine's timed reads switch a PTY to VMIN 0 / VTIME 1 and poll, which
     * held every keystroke up to 100 ms after it was typed.)
     */
    @Test
    void keystrokesAreReadWithoutATimerWhileTheRelayRuns() throws Exception {
        try (PtyScreen pty = harness()) {
            int at = pty.await("[size 80x24]");
            pty.type("a");
            at = pty.await("[61]", at, 30);
            Matcher tty = Pattern.compile("\\[tty (/dev/pts/\\d+)]").matcher(pty.text());
            assertThat(tty.find()).as("the harness names its TTY").isTrue();
            Process stty = new ProcessBuilder("stty", "-a", "-F", tty.group(1)).redirectErrorStream(true).start();
            String settings = new String(stty.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(stty.waitFor()).as(settings).isZero();
            assertThat(settings).contains("min = 1;").contains("time = 0;");
            pty.type("b");
            at = pty.await("[62]", at, 30);
            pty.type("\r~.");
            pty.await("[relay-exit 0", at, 30);
            assertThat(pty.exitCode(30)).isZero();
        }
    }

    /**
     * Every setting the terminal had before is back afterwards, not only the ones JLine maps: line speed and line
     * discipline included (JLine's native providers zero the speed and scramble {@code c_line}). The window size
     * is left out: pty4j applies the initial one while the script starts.
     */
    @Test
    void terminalSettingsAreExactlyRestored() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("TERM", "xterm-256color");
        env.put("HARNESS_JAVA", java);
        env.put("HARNESS_CP", System.getProperty("java.class.path"));
        String script = "echo '<before>'; stty -a; echo '</before>'; "
                + "\"$HARNESS_JAVA\" -cp \"$HARNESS_CP\" dev.ssmsession.cli.terminal.LoopbackShellHarness; "
                + "echo '<after>'; stty -a; echo '</after>'";
        try (PtyScreen pty = new PtyScreen(new String[] {"/bin/sh", "-c", script}, env, 80, 24)) {
            int at = pty.await("[size 80x24]");
            pty.type("\r~.");
            pty.await("</after>", at, 30);
            assertThat(pty.exitCode(30)).isZero();
            String before = between(pty.text(), "<before>", "</before>");
            assertThat(before).contains("speed 38400 baud");
            assertThat(between(pty.text(), "<after>", "</after>")).isEqualTo(before);
        }
    }

    private static String between(String text, String open, String close) {
        int from = text.indexOf(open + "\r\n");
        int to = text.indexOf(close, from);
        assertThat(from).as(open).isNotNegative();
        assertThat(to).as(close).isPositive();
        return text.substring(from + open.length(), to).replaceAll("rows \\d+; columns \\d+;", "");
    }
}
