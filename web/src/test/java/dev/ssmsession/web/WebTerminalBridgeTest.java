package dev.ssmsession.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("pure")
class WebTerminalBridgeTest {
    private final ScriptedShell shell = new ScriptedShell("s-1");
    private final RecordingEndpoint page = new RecordingEndpoint();

    @Test
    void sendsReadyThenOutputBytesUntouchedEvenCutInsideACharacter() throws Exception {
        WebTerminalBridge.start(shell, page, 1 << 20);
        assertThat(page.next().text()).isEqualTo("{\"type\":\"ready\",\"sessionId\":\"s-1\"}");
        // "π" is CF 80: the two halves go out as two messages, exactly as read; the page's decoder joins them.
        shell.output(new byte[] {'a', (byte) 0xcf});
        shell.output(new byte[] {(byte) 0x80, 'b'});
        assertThat(page.next().bytes()).containsExactly('a', 0xcf);
        assertThat(page.next().bytes()).containsExactly(0x80, 'b');
    }

    @Test
    void keystrokesGoToTheShellAsBytes() {
        WebTerminalBridge bridge = WebTerminalBridge.start(shell, page, 1 << 20);
        bridge.onBinary(new byte[] {0x03});                                   // Ctrl-C
        bridge.onBinary("π≈3.14\r".getBytes(StandardCharsets.UTF_8));
        assertThat(shell.typed()).containsExactly(0x03, 0xcf, 0x80, 0xe2, 0x89, 0x88, '3', '.', '1', '4', '\r');
    }

    @Test
    void resizeReachesTheShellAndBadControlMessagesSayWhatIsWrong() {
        WebTerminalBridge bridge = WebTerminalBridge.start(shell, page, 1 << 20);
        bridge.onText("{\"type\":\"resize\",\"cols\":132,\"rows\":43}");
        assertThat(shell.resizes).singleElement().satisfies(s -> assertThat(s).containsExactly(132, 43));
        assertThatThrownBy(() -> bridge.onText("{\"type\":\"resize\",\"cols\":0,\"rows\":43}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("resize cols must be 1..4096, was 0");
        assertThatThrownBy(() -> bridge.onText("{\"type\":\"paste\"}"))
                .hasMessage("unknown control message type 'paste'");
        assertThatThrownBy(() -> bridge.onText("not json")).hasMessageStartingWith("control message is not JSON");
        assertThatThrownBy(() -> bridge.onText("[1]")).hasMessage("control message is not a JSON object");
        assertThatThrownBy(() -> bridge.onText("{\"type\":\"ack\",\"bytes\":5}"))
                .hasMessage("ack of 5 bytes with 0 outstanding");
        assertThat(shell.resizes).hasSize(1);
    }

    @Test
    void outputWaitsForThePagesAcksOnceTheWindowIsFull() throws Exception {
        WebTerminalBridge bridge = WebTerminalBridge.start(shell, page, 10);
        page.next(); // ready
        shell.output(new byte[8]);
        shell.output(new byte[8]);
        assertThat(page.next().bytes()).hasSize(8);
        // 8 outstanding + 8 > 10: the second chunk waits for an ack
        assertThat(page.sent.poll(300, TimeUnit.MILLISECONDS)).isNull();
        bridge.onText("{\"type\":\"ack\",\"bytes\":8}");
        assertThat(page.next().bytes()).hasSize(8);
    }

    @Test
    void theEndIsShownWithItsExitStatusThenTheEndpointCloses() throws Exception {
        WebTerminalBridge bridge = WebTerminalBridge.start(shell, page, 1 << 20);
        page.next();
        shell.output("bye\r\n".getBytes(StandardCharsets.US_ASCII));
        shell.end(OptionalInt.of(3), "Exited.");
        assertThat(page.next().bytes()).asString().isEqualTo("bye\r\n");
        assertThat(page.next().text()).isEqualTo("{\"type\":\"ended\",\"exitCode\":3,\"message\":\"Exited.\"}");
        assertThat(page.next().text()).isEqualTo("1000 session ended");
        bridge.done().get(10, TimeUnit.SECONDS);
        assertThat(shell.closed).isNotDone();
    }

    @Test
    void aFailedSessionIsShownAsFailed() throws Exception {
        WebTerminalBridge.start(shell, page, 1 << 20);
        page.next();
        shell.ended.completeExceptionally(new IllegalStateException("connection lost for good"));
        shell.end(OptionalInt.empty(), "");
        assertThat(page.next().text()).isEqualTo("{\"type\":\"failed\",\"message\":\"connection lost for good\"}");
    }

    @Test
    void closingThePageEndsTheSessionOnceAndDropsLaterInput() throws Exception {
        WebTerminalBridge bridge = WebTerminalBridge.start(shell, page, 1 << 20);
        bridge.onClose();
        bridge.onClose();
        assertThat(shell.closed).isDone();
        bridge.onBinary(new byte[] {'x'});
        assertThat(shell.typed()).isEmpty();
        bridge.done().get(10, TimeUnit.SECONDS);
        assertThat(page.drained()).extracting(RecordingEndpoint.Sent::kind).containsExactly("text"); // ready only
    }
}
