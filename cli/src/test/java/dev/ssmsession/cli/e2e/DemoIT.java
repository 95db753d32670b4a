package dev.ssmsession.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's first command, {@code ssm-session demo}, on a real terminal. */
class DemoIT {
    @TempDir
    Path home;

    @Test
    void demoOpensAShellOnTheEmbeddedTestkit() throws Exception {
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("HOME", home.toString());
        env.put("TERM", "xterm-256color");
        String[] command = {Launchers.bin().resolve("ssm-session").toString(), "demo"};
        try (PtyScreen pty = new PtyScreen(command, env, 120, 40)) {
            int at = pty.await("Starting session with SessionId");
            pty.type("echo demo-$((6*7)); stty size\r");
            at = pty.await("demo-42", at, 60);
            at = pty.await("40 120", at, 60);
            pty.type("exit\r");
            pty.await("Exiting session with sessionId", at, 60);
            assertThat(pty.exitCode(60)).isZero(); // a shell reports no exit code (SPEC §3.6)
        }
    }
}
