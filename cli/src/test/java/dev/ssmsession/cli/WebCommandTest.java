package dev.ssmsession.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WebCommandTest {
    @TempDir
    Path dir;

    @Test
    void aNonLoopbackBindNeedsAllowRemote() {
        CliRun r = CliRun.run(new FakeSessions(), dir.resolve("log"), "web", "--bind", "0.0.0.0");
        assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("ssm-session: --bind 0.0.0.0 would offer a shell to everyone who can reach this "
                + "machine", "hint: add --allow-remote").doesNotContain("Exception", "\tat ");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void anUnknownBindAddressIsAUsageError() {
        CliRun r = CliRun.run(new FakeSessions(), dir.resolve("log"), "web", "--bind", "no-such-host.invalid");
        assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("--bind no-such-host.invalid is not an address of this machine")
                .doesNotContain("\tat ");
    }

    @Test
    void aPortInUseIsAClearError() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            CliRun r = CliRun.run(new FakeSessions(), dir.resolve("log"), "--region", "us-east-1", "web", "--port",
                    Integer.toString(taken.getLocalPort()));
            assertThat(r.exitCode()).isEqualTo(ExitCodes.FAILURE);
            assertThat(r.err()).contains("ssm-session: cannot listen on 127.0.0.1:" + taken.getLocalPort(),
                    "hint: choose another --port").doesNotContain("\tat ");
        }
    }

    @Test
    void helpListsTheOptions() {
        CliRun r = CliRun.run(new FakeSessions(), dir.resolve("log"), "web", "--help");
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).contains("--target", "--bind", "--port", "--open", "--allow-remote");
    }
}
