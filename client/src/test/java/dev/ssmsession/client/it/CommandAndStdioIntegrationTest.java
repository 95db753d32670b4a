package dev.ssmsession.client.it;

import dev.ssmsession.client.CommandResult;
import dev.ssmsession.client.SessionEnd;
import dev.ssmsession.client.SessionException;
import dev.ssmsession.client.SessionInfo;
import dev.ssmsession.client.SessionManager;
import dev.ssmsession.client.StdioSession;
import dev.ssmsession.testkit.LocalSessionManager;
import dev.ssmsession.testkit.LocalSessionManagerExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
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
            byte[] got = Transfers.roundTrip(s.output(), s.input(), data);
            assertThat(Transfers.sha256(got)).isEqualTo(Transfers.sha256(data));
            s.input().close();
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
    void shellViewOnAPortSessionFailsClearly() {
        try (dev.ssmsession.client.Session s = manager.start(
                dev.ssmsession.client.SessionRequest.portForwarding(LOCAL.get().defaultTarget(), null, 22))) {
            s.shell();
            assertThatThrownBy(() -> s.awaitEnd(Duration.ofSeconds(10)))
                    .isInstanceOf(SessionException.class).hasMessageContaining("not a shell");
            assertThat(s.info().join().mode()).isEqualTo(SessionInfo.Mode.PORT_MUX);
        }
    }
}
