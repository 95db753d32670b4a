package dev.ssmsession.client.it;

import dev.ssmsession.client.CommandSession;
import dev.ssmsession.client.CommandResult;
import dev.ssmsession.client.SessionEnd;
import dev.ssmsession.client.SessionException;
import dev.ssmsession.client.SessionInfo;
import dev.ssmsession.client.SessionManager;
import dev.ssmsession.client.ShellSession;
import dev.ssmsession.client.StdioSession;
import dev.ssmsession.testkit.LocalSessionManager;
import dev.ssmsession.testkit.LocalSessionManagerExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CommandAndStdioIntegrationTest {
    @RegisterExtension
    static final LocalSessionManagerExtension LOCAL = new LocalSessionManagerExtension(
            LocalSessionManager.builder().target(LocalSessionManager.DEFAULT_TARGET).offlineTarget("i-00000000000000off"));

    private SessionManager manager;

    @BeforeEach
    void setUp() {
        manager = Testkit.managerFor(LOCAL.get()).build();
    }

    @AfterEach
    void tearDown() {
        manager.close();
    }

    @Test
    void commandExitCodesAndSeparateStreams() {
        String target = LOCAL.get().defaultTarget();
        CommandResult r = manager.run(target, "echo to-out; echo to-err >&2; exit 3", Duration.ofSeconds(30));
        assertThat(r.stdoutText()).contains("to-out").doesNotContain("to-err");
        assertThat(r.stderrText()).contains("to-err");
        assertThat(r.exitCode()).hasValue(3);

        assertThat(manager.run(target, "true", Duration.ofSeconds(30)).exitCode()).hasValue(0);
        assertThat(manager.run(target, "exit 255", Duration.ofSeconds(30)).exitCode()).hasValue(255);
    }

    @Test
    void commandOutputLargerThanTheBuffersArrivesWhole() {
        // 3 MB of output: more than the 1 MiB stream buffer, so deliveries are refused and resent.
        CommandResult r = manager.run(LOCAL.get().defaultTarget(),
                "head -c 3000000 /dev/zero | tr '\\0' 'x'; echo; echo done", Duration.ofSeconds(50));
        String out = r.stdoutText().replace("\r", "");
        assertThat(out).startsWith("x".repeat(1000)).contains("x\ndone");
        assertThat(out.chars().filter(c -> c == 'x').count()).isEqualTo(3_000_000L);
        assertThat(r.exitCode()).hasValue(0);
    }

    @Test
    void runGivesUpAtItsTimeoutAndTerminatesTheSession() {
        LocalSessionManager local = LOCAL.get();
        java.util.Set<String> before = local.sessions().stream().map(v -> v.sessionId())
                .collect(java.util.stream.Collectors.toSet());
        assertThatThrownBy(() -> manager.run(local.defaultTarget(), "sleep 30", Duration.ofMillis(1500)))
                .isInstanceOf(SessionException.class)
                .satisfies(e -> assertThat(((SessionException) e).reason()).isEqualTo(SessionException.Reason.TIMEOUT))
                .hasMessageContaining("timed out after 1");
        assertThat(local.sessions()).filteredOn(v -> !before.contains(v.sessionId())).singleElement()
                .satisfies(v -> assertThat(v.status()).isEqualToIgnoringCase("terminated"));
    }

    @Test
    void stdioCarriesRawBytesAndEndsOnInputClose() throws Exception {
        try (EchoServer echo = new EchoServer()) {
            StdioSession s = manager.stdio(LOCAL.get().defaultTarget(), echo.port());
            assertThat(s.ended()).isNotDone();
            byte[] data = Transfers.random(200_000, 7);
            byte[] got = Transfers.roundTrip(s.stdout(), s.stdin(), data);
            assertThat(Transfers.sha256(got)).isEqualTo(Transfers.sha256(data));
            s.stdin().close();
            SessionEnd end = s.ended().get(10, TimeUnit.SECONDS);
            assertThat(end.closedLocally()).isTrue();
        }
    }

    @Test
    void offlineTargetExplainsTheUsualCauses() {
        assertThatThrownBy(() -> manager.run("i-00000000000000off", "true", Duration.ofSeconds(10)))
                .isInstanceOf(SessionException.class)
                .satisfies(e -> assertThat(((SessionException) e).reason()).isEqualTo(SessionException.Reason.TARGET_NOT_CONNECTED))
                .hasMessageContaining("i-00000000000000off")
                .hasMessageContaining("AmazonSSMManagedInstanceCore")
                .hasMessageContaining("ssmmessages");
    }

    @Test
    void shellViewOnAPortSessionFailsClearlyAndEndsItsStreams() throws Exception {
        try (dev.ssmsession.client.Session s = manager.start(
                dev.ssmsession.client.SessionRequest.portForwarding(LOCAL.get().defaultTarget(), null, 22))) {
            ShellSession shell = s.shell();
            assertThatThrownBy(() -> s.awaitEnd(Duration.ofSeconds(10)))
                    .isInstanceOf(SessionException.class).hasMessageContaining("not a shell");
            assertThat(s.info().join().mode()).isEqualTo(SessionInfo.Mode.PORT_MUX);
            assertEndsWith(shell.stdout(), "not a shell");
            assertEndsWith(shell.stderr(), "not a shell");
            assertThatThrownBy(() -> shell.stdin().write('x')).isInstanceOf(IOException.class)
                    .hasMessageContaining("not a shell");
        }
    }

    @Test
    void commandViewOnAPortSessionEndsItsStreams() throws Exception {
        try (dev.ssmsession.client.Session s = manager.start(
                dev.ssmsession.client.SessionRequest.portForwarding(LOCAL.get().defaultTarget(), null, 22))) {
            CommandSession command = s.command();
            assertEndsWith(command.stdout(), "not a command");
            assertEndsWith(command.stderr(), "not a command");
        }
    }

    @Test
    void stdioViewOnAShellSessionEndsItsOutput() throws Exception {
        try (dev.ssmsession.client.Session s = manager.start(
                dev.ssmsession.client.SessionRequest.shell(LOCAL.get().defaultTarget()))) {
            StdioSession stdio = s.stdio();
            assertEndsWith(stdio.stdout(), "not a stdio stream");
        }
    }

    @Test
    void aViewAskedForAfterTheSessionEndedEndsAtOnce() throws Exception {
        dev.ssmsession.client.Session s = manager.start(
                dev.ssmsession.client.SessionRequest.shell(LOCAL.get().defaultTarget()));
        s.close();
        ShellSession shell = s.shell();
        assertThat(drain(shell.stdout()).get(10, TimeUnit.SECONDS)).isNull();
        assertThat(drain(shell.stderr()).get(10, TimeUnit.SECONDS)).isNull();
    }

    @Test
    void aShellThatTheServiceEndsReportsEndOfStream() throws Exception {
        try (dev.ssmsession.client.Session s = manager.start(
                dev.ssmsession.client.SessionRequest.shell(LOCAL.get().defaultTarget()))) {
            ShellSession shell = s.shell();
            s.awaitInfo(Duration.ofSeconds(20));
            LOCAL.get().closeChannel(s.sessionId(), "closed by the test");
            assertThat(drain(shell.stdout()).get(10, TimeUnit.SECONDS)).isNull();
            assertThat(drain(shell.stderr()).get(10, TimeUnit.SECONDS)).isNull();
        }
    }

    /** Reads the stream to its end on another thread: null at EOF, else what the read threw. */
    private static CompletableFuture<IOException> drain(InputStream in) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                in.readAllBytes();
                return null;
            } catch (IOException e) {
                return e;
            }
        });
    }

    private static void assertEndsWith(InputStream in, String message) throws Exception {
        IOException e = drain(in).get(10, TimeUnit.SECONDS);
        assertThat(e).as("the stream fails with the session's failure").isNotNull();
        assertThat(e).hasMessageContaining(message);
    }
}
