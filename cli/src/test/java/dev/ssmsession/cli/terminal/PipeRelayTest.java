package dev.ssmsession.cli.terminal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class PipeRelayTest {
    @Test
    void stdinGoesToTheRemoteThenEotAndTheSessionRunsUntilTheRemoteEnds() throws Exception {
        FakeRemoteShell shell = new FakeRemoteShell();
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        ByteArrayInputStream stdin = new ByteArrayInputStream("echo hi\n".getBytes(StandardCharsets.US_ASCII));
        CompletableFuture<Integer> relay = CompletableFuture.supplyAsync(() -> {
            try {
                return new PipeRelay(stdin, stdout, shell).run();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });

        assertThat(shell.awaitReceived(9)).containsExactly('e', 'c', 'h', 'o', ' ', 'h', 'i', '\n', 0x04);
        assertThat(relay).isNotDone(); // stdin EOF ends input, not the session
        shell.print("hi\r\n".getBytes(StandardCharsets.US_ASCII));
        shell.end(OptionalInt.of(7));

        assertThat(relay.get(10, TimeUnit.SECONDS)).isEqualTo(7);
        assertThat(stdout.toString(StandardCharsets.US_ASCII)).isEqualTo("hi\r\n");
    }

    /** The library sends bytes as given; Enter read on its own (a keystroke) reaches the PTY as CR. */
    @Test
    void aLoneLineFeedIsSentAsCarriageReturnAndLinesInLongerReadsAreKept() throws Exception {
        FakeRemoteShell shell = new FakeRemoteShell();
        InputStream keys = new InputStream() {
            private final byte[][] reads = {"ls\n".getBytes(StandardCharsets.US_ASCII), {'\n'}};
            private int next;

            @Override
            public int read() {
                throw new UnsupportedOperationException();
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (next == reads.length) {
                    return -1;
                }
                byte[] r = reads[next++];
                System.arraycopy(r, 0, b, off, r.length);
                return r.length;
            }
        };
        CompletableFuture.runAsync(() -> {
            try {
                new PipeRelay(keys, new ByteArrayOutputStream(), shell).run();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });

        assertThat(shell.awaitReceived(5)).containsExactly('l', 's', '\n', '\r', 0x04);
        shell.end(OptionalInt.of(0));
    }

    /** E.g. a shell view on what turned out to be a port session: the library fails the session, output stays open. */
    @Test
    void aFailedSessionIsReportedEvenIfItsOutputNeverEnds() throws Exception {
        FakeRemoteShell shell = new FakeRemoteShell();
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        CompletableFuture<Integer> relay = CompletableFuture.supplyAsync(() -> {
            try {
                return new PipeRelay(InputStream.nullInputStream(), stdout, shell, Duration.ofMillis(50)).run();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        shell.completion.completeExceptionally(new IOException("session s-1 is a Port session, not a shell"));

        assertThatThrownBy(() -> relay.get(10, TimeUnit.SECONDS)).hasRootCauseInstanceOf(IOException.class)
                .rootCause().hasMessage("session s-1 is a Port session, not a shell");
    }
}
