package dev.ssmsession.client.it;

import dev.ssmsession.client.Session;
import dev.ssmsession.client.SessionEnd;
import dev.ssmsession.client.SessionInfo;
import dev.ssmsession.client.SessionManager;
import dev.ssmsession.client.SessionRequest;
import dev.ssmsession.client.ShellSession;
import dev.ssmsession.testkit.LocalSessionManager;
import dev.ssmsession.testkit.LocalSessionManagerExtension;
import dev.ssmsession.testkit.SessionView;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ShellSessionIntegrationTest {
    @RegisterExtension
    static final LocalSessionManagerExtension LOCAL = new LocalSessionManagerExtension();

    private SessionManager manager;

    @BeforeEach
    void setUp() {
        manager = Testkit.managerFor(LOCAL.get()).build();
    }

    @AfterEach
    void tearDown() {
        manager.close();
    }

    /** Reads until {@code marker} shows up in the accumulated output. */
    static String readUntil(InputStream in, String marker) throws IOException {
        ByteArrayOutputStream seen = new ByteArrayOutputStream();
        byte[] buf = new byte[4096];
        while (!seen.toString(StandardCharsets.UTF_8).contains(marker)) {
            int n = in.read(buf);
            if (n < 0) {
                throw new IOException("stream ended before '" + marker + "'; got: " + seen.toString(StandardCharsets.UTF_8));
            }
            seen.write(buf, 0, n);
        }
        return seen.toString(StandardCharsets.UTF_8);
    }

    @Test
    void shellEchoesAndExitEndsTheSession() throws Exception {
        LocalSessionManager local = LOCAL.get();
        try (Session session = manager.start(SessionRequest.shell(local.defaultTarget()))) {
            ShellSession shell = session.shell(100, 30);
            SessionInfo info = session.awaitInfo(Duration.ofSeconds(20));
            assertThat(info.mode()).isEqualTo(SessionInfo.Mode.SHELL);
            assertThat(info.sessionType()).isEqualTo("Standard_Stream");

            shell.stdin().write("echo hello-$((6*7))".getBytes(StandardCharsets.UTF_8));
            shell.stdin().write('\n');  // a lone LF: must reach the PTY as CR
            assertThat(readUntil(shell.stdout(), "hello-42")).contains("hello-42");

            shell.stdin().write("exit\r".getBytes(StandardCharsets.UTF_8));
            SessionEnd end = session.awaitEnd(Duration.ofSeconds(20));
            assertThat(end.closedLocally()).isFalse();
            assertThat(shell.stdout().readAllBytes()).isNotNull();  // drains, then EOF
            assertThat(shell.stdout().read()).isEqualTo(-1);
        }
    }

    @Test
    void resizeReachesThePty() throws Exception {
        LocalSessionManager local = LOCAL.get();
        try (ShellSession shell = manager.shell(local.defaultTarget(), 123, 45)) {
            shell.stdin().write("stty size\r".getBytes(StandardCharsets.UTF_8));
            assertThat(readUntil(shell.stdout(), "45 123")).contains("45 123");
            shell.resize(77, 19);
            shell.stdin().write("stty size\r".getBytes(StandardCharsets.UTF_8));
            assertThat(readUntil(shell.stdout(), "19 77")).contains("19 77");
        }
    }

    @Test
    void closeCallsTerminateSessionAndSignsTheUpgrade() throws Exception {
        LocalSessionManager local = LOCAL.get();
        Session session = manager.start(SessionRequest.shell(local.defaultTarget()));
        ShellSession shell = session.shell();
        session.awaitInfo(Duration.ofSeconds(20));
        String id = session.sessionId();
        shell.close();
        SessionEnd end = session.awaitEnd(Duration.ofSeconds(10));
        assertThat(end.closedLocally()).isTrue();
        SessionView view = local.session(id).orElseThrow();
        assertThat(view.status()).isIn("Terminated", "TERMINATED", "terminated", "Terminating");
        assertThat(view.upgrades()).isNotEmpty().allSatisfy(u -> {
            assertThat(u.signed()).isTrue();
            assertThat(u.hasSecurityToken()).isTrue();
        });
    }

    @Test
    void aViewOfAnEndedSessionReportsTheEndInsteadOfBlocking() throws Exception {
        LocalSessionManager local = LOCAL.get();
        Session session = manager.start(SessionRequest.shell(local.defaultTarget()));
        session.close();
        ShellSession late = session.shell();
        assertThat(late.stdout().read()).isEqualTo(-1);
        assertThatThrownBy(() -> late.stdin().write('x')).isInstanceOf(java.io.IOException.class)
                .hasMessageContaining(session.sessionId());
    }

    @Test
    void aViewInstalledAfterTheFirstOutputStillGetsEverything() throws Exception {
        LocalSessionManager local = LOCAL.get();
        try (Session session = manager.start(SessionRequest.shell(local.defaultTarget()))) {
            // No view yet: the handshake-less shell's first output is refused (not acked) and resent later.
            assertThat(session.awaitInfo(Duration.ofSeconds(20)).mode()).isEqualTo(SessionInfo.Mode.SHELL);
            ShellSession shell = session.shell();
            shell.stdin().write("echo late-$((4*4))\r".getBytes(StandardCharsets.UTF_8));
            assertThat(readUntil(shell.stdout(), "late-16")).contains("late-16");
        }
    }
}
