package dev.ssmsession.cli.terminal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jline.terminal.Attributes.InputFlag;
import org.jline.terminal.Attributes.LocalFlag;
import org.jline.terminal.Attributes.OutputFlag;
import org.jline.terminal.Size;
import org.jline.terminal.Terminal.Signal;
import org.jline.terminal.impl.LineDisciplineTerminal;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The relay against JLine's {@link LineDisciplineTerminal}: a terminal in memory that applies the line discipline
 * its attributes describe (ISIG turns 0x03 into SIGINT, ICRNL turns CR into LF, ONLCR…), so these tests prove the
 * raw-mode attributes really let every control byte through, without a TTY.
 */
class TerminalRelayTest {
    private final ByteArrayOutputStream screen = new ByteArrayOutputStream();
    private final ByteArrayOutputStream statusBytes = new ByteArrayOutputStream();
    private final PrintStream status = new PrintStream(statusBytes, true, StandardCharsets.UTF_8);
    private final FakeRemoteShell shell = new FakeRemoteShell();
    private LineDisciplineTerminal terminal;
    private int interrupts;

    @BeforeEach
    void setUp() throws IOException {
        terminal = new LineDisciplineTerminal("test", "xterm-256color", screen, StandardCharsets.UTF_8);
        terminal.setSize(new Size(80, 24));
        terminal.handle(Signal.INT, s -> interrupts++);
    }

    @AfterEach
    void tearDown() throws IOException {
        terminal.close();
    }

    private CompletableFuture<Integer> startRelay() throws Exception {
        CompletableFuture<Integer> result = CompletableFuture.supplyAsync(() -> {
            try {
                return new TerminalRelay(terminal, shell, status).run();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        shell.firstResize.get(10, TimeUnit.SECONDS); // raw mode is on once the initial size went out
        return result;
    }

    @Test
    void theCookedTerminalWouldEatControlKeys() throws IOException {
        // the premise of the other tests: with its own attributes, this terminal turns ^C into a signal
        assertThat(terminal.getAttributes().getLocalFlag(LocalFlag.ISIG)).isTrue();
        terminal.processInputByte(0x03);
        assertThat(interrupts).isEqualTo(1);
    }

    /** Enter typed as LF (a terminal mapping CR to LF) reaches the PTY as CR; the library itself sends bytes as given. */
    @Test
    void aLoneLineFeedKeystrokeIsSentAsCarriageReturn() throws Exception {
        CompletableFuture<Integer> relay = startRelay();

        terminal.processInputBytes(new byte[] {'\n'});

        assertThat(shell.awaitReceived(1)).containsExactly('\r');
        shell.end(OptionalInt.of(0));
        assertThat(relay.get(10, TimeUnit.SECONDS)).isZero();
    }

    @Test
    void controlKeysAndEnterReachTheRemoteAsBytes() throws Exception {
        CompletableFuture<Integer> relay = startRelay();

        terminal.processInputBytes(new byte[] {0x03, 0x1a, 0x1c, 0x11, 0x13, 0x16, 0x0f, 0x19, 'l', 's', '\r'});

        assertThat(shell.awaitReceived(11))
                .containsExactly(0x03, 0x1a, 0x1c, 0x11, 0x13, 0x16, 0x0f, 0x19, 'l', 's', '\r');
        assertThat(interrupts).isZero();
        assertThat(screen.toByteArray()).as("no local echo").isEmpty();

        shell.end(OptionalInt.of(0));
        assertThat(relay.get(10, TimeUnit.SECONDS)).isZero();
    }

    @Test
    void sendsInitialSizeThenEveryWindowChange() throws Exception {
        CompletableFuture<Integer> relay = startRelay();
        assertThat(shell.resizes.get(0)).containsExactly(80, 24);

        terminal.setSize(new Size(132, 43));
        terminal.raise(Signal.WINCH);

        assertThat(shell.resizes).hasSize(2);
        assertThat(shell.resizes.get(1)).containsExactly(132, 43);
        shell.end(OptionalInt.empty());
        relay.get(10, TimeUnit.SECONDS);
    }

    @Test
    void remoteOutputReachesTheScreenUntranslated() throws Exception {
        CompletableFuture<Integer> relay = startRelay();
        byte[] remote = "prompt$ a\nb\r\n\u001b[31mred\u001b[0m".getBytes(StandardCharsets.UTF_8);

        shell.print(remote);
        shell.end(OptionalInt.of(0));

        relay.get(10, TimeUnit.SECONDS);
        assertThat(screen.toByteArray()).containsExactly(remote);
        assertThat(statusBytes.size()).as("nothing on the status stream").isZero();
    }

    @Test
    void returnsTheRemoteExitStatusAndRestoresTheTerminal() throws Exception {
        int[] winchAfter = new int[1];
        terminal.handle(Signal.WINCH, s -> winchAfter[0]++);
        CompletableFuture<Integer> relay = startRelay();
        assertThat(terminal.getAttributes().getLocalFlag(LocalFlag.ISIG)).isFalse();

        shell.end(OptionalInt.of(42));

        assertThat(relay.get(10, TimeUnit.SECONDS)).isEqualTo(42);
        assertThat(terminal.getAttributes().getLocalFlag(LocalFlag.ISIG)).isTrue();
        assertThat(terminal.getAttributes().getLocalFlag(LocalFlag.ICANON)).isTrue();
        assertThat(terminal.getAttributes().getLocalFlag(LocalFlag.ECHO)).isTrue();
        assertThat(terminal.getAttributes().getInputFlag(InputFlag.ICRNL)).isTrue();
        assertThat(terminal.getAttributes().getOutputFlag(OutputFlag.OPOST)).isTrue();
        terminal.raise(Signal.WINCH);
        assertThat(winchAfter[0]).as("previous WINCH handler back in place").isEqualTo(1);
        assertThat(shell.resizes).hasSize(1);
    }

    @Test
    void rawModeSetsEveryAttributeExplicitly() throws Exception {
        CompletableFuture<Integer> relay = startRelay();
        var attributes = terminal.getAttributes();
        assertThat(attributes.getLocalFlags()).doesNotContain(LocalFlag.ISIG, LocalFlag.ICANON, LocalFlag.ECHO,
                LocalFlag.IEXTEN);
        assertThat(attributes.getInputFlags()).doesNotContain(InputFlag.IXON, InputFlag.ICRNL);
        assertThat(attributes.getOutputFlags()).doesNotContain(OutputFlag.OPOST);
        assertThat(attributes.getControlChar(org.jline.terminal.Attributes.ControlChar.VMIN)).isEqualTo(1);
        assertThat(attributes.getControlChar(org.jline.terminal.Attributes.ControlChar.VTIME)).isZero();
        shell.end(OptionalInt.empty());
        relay.get(10, TimeUnit.SECONDS);
    }

    @Test
    void tildeDotAfterEnterTerminatesTheSession() throws Exception {
        CompletableFuture<Integer> relay = startRelay();

        terminal.processInputBytes("exit-not-typed\r~.".getBytes(StandardCharsets.US_ASCII));

        assertThat(relay.get(10, TimeUnit.SECONDS)).isZero();
        assertThat(shell.terminated).isDone();
        assertThat(shell.received()).asString(StandardCharsets.US_ASCII).isEqualTo("exit-not-typed\r");
        assertThat(statusBytes.toString(StandardCharsets.UTF_8)).contains("Disconnecting");
        assertThat(terminal.getAttributes().getLocalFlag(LocalFlag.ISIG)).isTrue();
    }

    @Test
    void tildeQuestionPrintsHelpOnTheStatusStreamOnly() throws Exception {
        CompletableFuture<Integer> relay = startRelay();

        terminal.processInputBytes("~?~~x".getBytes(StandardCharsets.US_ASCII));

        assertThat(shell.awaitReceived(2)).asString(StandardCharsets.US_ASCII).isEqualTo("~x");
        assertThat(statusBytes.toString(StandardCharsets.UTF_8)).contains("~.", "terminate session");
        assertThat(screen.size()).isZero();
        shell.end(OptionalInt.empty());
        relay.get(10, TimeUnit.SECONDS);
    }
}
