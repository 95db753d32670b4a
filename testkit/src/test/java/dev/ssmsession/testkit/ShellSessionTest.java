package dev.ssmsession.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ssmsession.protocol.message.ClientMessage;
import dev.ssmsession.protocol.message.MessageType;
import dev.ssmsession.protocol.message.PayloadType;
import dev.ssmsession.protocol.payload.ChannelClosed;
import dev.ssmsession.protocol.payload.Payloads;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.ResumeSessionResponse;
import software.amazon.awssdk.services.ssm.model.StartSessionResponse;

/** Shell sessions on a real PTY, spoken to with plain protocol frames. */
class ShellSessionTest {
    /** Well below the 30 s an uninterrupted {@code sleep 30} would take. */
    static final Duration PROMPTLY = Duration.ofSeconds(10);
    @TempDir
    static Path dir;
    static LocalSessionManager local;
    static SsmClient ssm;

    @BeforeAll
    static void start() throws Exception {
        Files.writeString(dir.resolve("marker.txt"), "here");
        local = LocalSessionManager.builder().workingDirectory(dir).shell("/bin/sh").build().start();
        ssm = SsmApiTest.sdk(local);
    }

    @AfterAll
    static void stop() {
        ssm.close();
        local.close();
    }

    @Test
    void shellStartsWithoutHandshakeRunsInTheWorkingDirectoryAndEndsWithChannelClosed() throws Exception {
        StartSessionResponse r = ssm.startSession(b -> b.target(local.defaultTarget()));
        try (ProtocolClient c = ProtocolClient.open(r.streamUrl(), r.tokenValue())) {
            ClientMessage first = c.nextData();
            // No handshake for Standard_Stream without KMS (SPEC §4.1): seq 0 is already shell output.
            assertThat(first.sequenceNumber()).isZero();
            assertThat(first.payloadType()).isEqualTo(PayloadType.OUTPUT.wire());
            assertThat(first.flags()).isEqualTo(ClientMessage.FLAG_SYN);

            c.send(PayloadType.SIZE, "{\"cols\":132,\"rows\":43}".getBytes(StandardCharsets.UTF_8));
            c.sendText("cat marker.txt; echo \"[$TERM]\"; stty size\r");
            String out = c.readUntil(PayloadType.OUTPUT, s -> s.contains("43 132"));
            assertThat(out).contains("here").contains("[xterm-256color]");

            c.sendText("exit 0\r");
            ClientMessage closed = c.nextControl();
            assertThat(closed.messageType()).isEqualTo(MessageType.CHANNEL_CLOSED.wire());
            ChannelClosed cc = Payloads.fromJson(closed.payload(), ChannelClosed.class);
            assertThat(cc.sessionId()).isEqualTo(r.sessionId());
            assertThat(cc.destinationId()).isEqualTo(local.defaultTarget());
            assertThat(cc.output()).isEmpty();
            c.awaitClose();
        }
        assertThat(local.session(r.sessionId()).orElseThrow().status()).isEqualTo("TERMINATED");
    }

    @Test
    void reconnectWithTheResumeTokenKeepsTheSameShell() throws Exception {
        StartSessionResponse r = ssm.startSession(b -> b.target(local.defaultTarget()));
        ProtocolClient first = ProtocolClient.open(r.streamUrl(), r.tokenValue());
        first.nextData();
        first.sendText("KEPT=still-here-42\r");
        first.readUntil(PayloadType.OUTPUT, s -> s.contains("KEPT=still-here-42"));
        first.cutAbruptly();
        first.awaitClose();

        ResumeSessionResponse resumed = ssm.resumeSession(b -> b.sessionId(r.sessionId()));
        try (ProtocolClient second = ProtocolClient.open(r.streamUrl(), resumed.tokenValue())) {
            // The agent's sequence numbers continue; this client starts expecting where the first stopped.
            second.opened.get();
            second.skipTo(firstExpected(first));
            second.continueInputAt(1);
            second.sendText("echo \"v=$KEPT\"\r");
            assertThat(second.readUntil(PayloadType.OUTPUT, s -> s.contains("v=still-here-42"))).contains("v=still-here-42");
        }
        assertThat(local.session(r.sessionId()).orElseThrow().connections()).isEqualTo(2);
    }

    private static long firstExpected(ProtocolClient c) {
        return c.expected();
    }

    @Test
    void interactiveCommandRunsOnAPty() throws Exception {
        StartSessionResponse r = Sessions.start(ssm, local.defaultTarget(), "AWS-StartInteractiveCommand",
                Map.of("command", "test -t 0 && echo on-a-tty; read x; echo got-$x"));
        try (ProtocolClient c = ProtocolClient.open(r.streamUrl(), r.tokenValue())) {
            c.readUntil(PayloadType.OUTPUT, s -> s.contains("on-a-tty"));
            c.sendText("abc\r");
            c.readUntil(PayloadType.OUTPUT, s -> s.contains("got-abc"));
            assertThat(c.nextControl().messageType()).isEqualTo(MessageType.CHANNEL_CLOSED.wire());
        }
    }

    /** Prints the shell's own SigBlk/SigIgn with builtins only (a child would read its own). */
    static final String SHELL_SIGNALS = "while read -r k v; do case $k in SigBlk:|SigIgn:) echo \"shell-$k$v\";; esac; done < /proc/$$/status";
    static final String NONE = "0000000000000000";

    @Test
    void theShellAndWhatItStartsHaveNoBlockedOrIgnoredSignalsSoCtrlBackslashQuitsASleep() throws Exception {
        // bash, the default, keeps the mask it was started with for its children, as QA saw (dash clears it).
        try (LocalSessionManager bash = LocalSessionManager.builder().workingDirectory(dir).shell("/bin/bash").build().start();
             SsmClient bashSsm = SsmApiTest.sdk(bash)) {
            StartSessionResponse r = bashSsm.startSession(b -> b.target(bash.defaultTarget()));
            try (ProtocolClient c = ProtocolClient.open(r.streamUrl(), r.tokenValue())) {
                c.nextData();
                // The PTY echoes the typed line, so every marker is one only the shell's output contains.
                // An interactive shell ignores SIGQUIT itself; what it starts must get a clean state.
                c.sendText(SHELL_SIGNALS + "; sed -n 's/^Sig\\(Blk\\|Ign\\):\\t/child-\\1-/p' /proc/self/status;"
                        + " echo \"listed-$((40+2))\"\r");
                assertThat(c.readUntil(PayloadType.OUTPUT, s -> s.contains("listed-42")))
                        .contains("shell-SigBlk:" + NONE, "child-Blk-" + NONE, "child-Ign-" + NONE);

                // Started by bash with its mask; Ctrl-\ before the exec kills bash -c with the same status.
                c.sendText("bash -c 'echo \"sleeping-$((2+3))\"; exec sleep 30'; echo \"rc-$?-\"\r");
                c.readUntil(PayloadType.OUTPUT, s -> s.contains("sleeping-5"));
                c.send(PayloadType.OUTPUT, new byte[] {0x1C});
                assertThat(c.readUntil(PayloadType.OUTPUT, s -> s.matches("(?s).*rc-\\d+-.*"), PROMPTLY)).contains("rc-131-");
                c.sendText("exit\r");
                assertThat(c.nextControl().messageType()).isEqualTo(MessageType.CHANNEL_CLOSED.wire());
            }
        }
    }

    @Test
    void anInteractiveCommandStartsWithNoBlockedOrIgnoredSignals() throws Exception {
        StartSessionResponse r = Sessions.start(ssm, local.defaultTarget(), "AWS-StartInteractiveCommand",
                Map.of("command", SHELL_SIGNALS + "; echo listed"));
        try (ProtocolClient c = ProtocolClient.open(r.streamUrl(), r.tokenValue())) {
            assertThat(c.readUntil(PayloadType.OUTPUT, s -> s.contains("listed")))
                    .contains("shell-SigBlk:" + NONE, "shell-SigIgn:" + NONE);
        }
    }
}
