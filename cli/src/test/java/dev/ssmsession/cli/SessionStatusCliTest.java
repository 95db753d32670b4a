package dev.ssmsession.cli;

import dev.ssmsession.testkit.SwitchableRelay;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ssmsession.cli.session.Connection;
import dev.ssmsession.cli.session.LocalForward;
import dev.ssmsession.cli.session.RemoteCommand;
import dev.ssmsession.cli.session.SessionSpec;
import dev.ssmsession.cli.session.Sessions;
import dev.ssmsession.cli.terminal.RemoteShell;
import dev.ssmsession.cli.terminal.RemoteStream;
import dev.ssmsession.cli.terminal.StatusPrintStream;
import dev.ssmsession.client.SessionManager;
import dev.ssmsession.testkit.LocalSessionManager;
import dev.ssmsession.testkit.TestkitCredentials;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ssm-session} in process over the real client library and the testkit: what stderr says when the data
 * channel is lost, comes back or cannot come back, and the agent's message after the handshake.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class SessionStatusCliTest {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    /** The testkit's static credentials on every connection (the default chain would look at this machine). */
    private static Sessions withCredentials(Sessions sessions, LocalSessionManager local) {
        TestkitCredentials c = local.credentials();
        java.util.function.UnaryOperator<Connection> creds = connection -> new Connection(connection.profile(),
                Optional.of(local.region()), connection.endpointUrl(), Optional.of(local.kmsEndpoint()),
                Optional.of(new Connection.StaticCredentials(c.accessKeyId(), c.secretAccessKey(), c.sessionToken())),
                false);
        return new Sessions() {
            @Override
            public RemoteShell shell(Connection connection, SessionSpec spec, PrintStream status) {
                return sessions.shell(creds.apply(connection), spec, status);
            }

            @Override
            public RemoteCommand command(Connection connection, SessionSpec spec, PrintStream status) {
                return sessions.command(creds.apply(connection), spec, status);
            }

            @Override
            public RemoteStream stdio(Connection connection, SessionSpec spec) {
                return sessions.stdio(creds.apply(connection), spec);
            }

            @Override
            public LocalForward forward(Connection connection, SessionSpec spec, ForwardSpec forward,
                    dev.ssmsession.cli.session.ForwardOptions options, PrintStream status) {
                return sessions.forward(creds.apply(connection), spec, forward, options, status);
            }
        };
    }

    private CliContext context(LocalSessionManager local, Map<String, String> env, PrintStream out,
            StatusPrintStream err) {
        return new CliContext(new ByteArrayInputStream(new byte[0]), out, err, env,
                withCredentials(new ClientSessions(env, err), local), Optional::empty);
    }

    private String[] args(LocalSessionManager local, String... command) {
        String[] all = new String[command.length + 4];
        all[0] = "--log-file";
        all[1] = dir.resolve("cli.log").toString();
        all[2] = "--endpoint-url";
        all[3] = local.ssmEndpoint().toString();
        System.arraycopy(command, 0, all, 4, command.length);
        return all;
    }

    @Test
    void portForwardSaysWhenTheChannelIsLostBackAndGivenUp() throws Exception {
        try (LocalSessionManager local = LocalSessionManager.startDefault();
             SwitchableRelay relay = new SwitchableRelay(local.streamUrlBase().getPort());
             ServerSocket echo = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            WatchedOutput err = new WatchedOutput();
            StatusPrintStream status = StatusPrintStream.over(err, () -> false, StandardCharsets.UTF_8);
            Map<String, String> env = Map.of("AWS_ENDPOINT_URL_SSMMESSAGES", "http://127.0.0.1:" + relay.port());
            CliContext context = context(local, env, new PrintStream(new ByteArrayOutputStream(), true), status);
            CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> SsmSession.execute(context,
                    args(local, "port-forward", "--target", local.defaultTarget(), "-L", "0:" + echo.getLocalPort())));

            int at = err.await("Waiting for connections...\n", 0, WAIT);
            Matcher id = Pattern.compile("opened for sessionId (\\S+)\\.").matcher(err.text());
            assertThat(id.find()).isTrue();
            String sessionId = id.group(1);

            relay.refuse();
            at = err.await("Connection to the service lost (", at, WAIT);
            err.await("; reconnecting (session " + sessionId + ", giving up at ", at, WAIT);
            assertThat(exit).isNotDone();
            relay.allow();
            at = err.await("Connection to the service restored after ", at, WAIT);
            err.await(" s.\n", at, WAIT);

            relay.refuse();
            at = err.await("Connection to the service lost (", at, WAIT);
            // The service ends the session while the client cannot reach it: ResumeSession has no token to give.
            try (SessionManager api = ClientSessions.manager(new Connection(Optional.empty(),
                    Optional.of(local.region()), Optional.of(local.ssmEndpoint()), Optional.empty(),
                    Optional.of(new Connection.StaticCredentials(local.credentials().accessKeyId(),
                            local.credentials().secretAccessKey(), local.credentials().sessionToken())), true),
                    Map.of())) {
                api.terminateSession(sessionId);
            }
            at = err.await("Could not reconnect to the service: ", at, WAIT);
            err.await(sessionId, at, WAIT);
            assertThat(exit.get(60, TimeUnit.SECONDS)).isEqualTo(ExitCodes.FAILURE);
            assertThat(err.text()).contains("ssm-session: ").doesNotContain("\tat ", "Exception");
        }
    }

    @Test
    void execShowsTheAgentsMessageOnStderrNotInTheCommandsOutput() throws Exception {
        try (LocalSessionManager local = LocalSessionManager.builder().kmsEncryption(true).build().start()) {
            WatchedOutput err = new WatchedOutput();
            StatusPrintStream status = StatusPrintStream.over(err, () -> false, StandardCharsets.UTF_8);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            CliContext context = context(local, Map.of(), new PrintStream(out, true, StandardCharsets.UTF_8), status);
            int exit = SsmSession.execute(context, args(local, "exec", "--target", local.defaultTarget(),
                    "echo hi"));
            assertThat(exit).as(err.text()).isZero();
            assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("hi\n");
            assertThat(err.text()).contains("This session is encrypted using AWS KMS.\n");
        }
    }

}
