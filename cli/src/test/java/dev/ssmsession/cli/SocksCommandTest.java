package dev.ssmsession.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ssmsession.cli.SocksCommand.Listen;
import dev.ssmsession.cli.session.Connection;
import dev.ssmsession.client.SessionManager;
import dev.ssmsession.testkit.LocalSessionManager;
import dev.ssmsession.testkit.TestkitCredentials;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InterruptedIOException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code ssm-session socks}: the -D argument, and the proxy it runs against the testkit. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class SocksCommandTest {
    @TempDir
    Path dir;

    @Test
    void dashDTakesAPortOrABindAddressAndAPort() {
        assertThat(Listen.parse("1081")).isEqualTo(new Listen("127.0.0.1", 1081));
        assertThat(Listen.parse("0")).isEqualTo(new Listen("127.0.0.1", 0));
        assertThat(Listen.parse("0.0.0.0:1080")).isEqualTo(new Listen("0.0.0.0", 1080));
        assertThat(Listen.parse("localhost:9050")).isEqualTo(new Listen("localhost", 9050));
        assertThat(Listen.parse("[::1]:1080")).isEqualTo(new Listen("::1", 1080));
    }

    @Test
    void badDashDNamesTheProblem() {
        assertThatThrownBy(() -> Listen.parse("")).hasMessageContaining("port '' is not a number");
        assertThatThrownBy(() -> Listen.parse("socks")).hasMessageContaining("port 'socks' is not a number");
        assertThatThrownBy(() -> Listen.parse("70000")).hasMessageContaining("0-65535");
        assertThatThrownBy(() -> Listen.parse("127.0.0.1:")).hasMessageContaining("port ''");
        assertThatThrownBy(() -> Listen.parse(":1080")).hasMessageContaining("empty bind address");
        assertThatThrownBy(() -> Listen.parse("::1:1080")).hasMessageContaining("[::1]:1080");
        assertThatThrownBy(() -> Listen.parse("[::1]")).hasMessageContaining("[ADDRESS]:PORT");
    }

    private static CliContext context(PrintStream err) {
        return new CliContext(new ByteArrayInputStream(new byte[0]), new PrintStream(new ByteArrayOutputStream()),
                err, Map.of(), new FakeSessions(), Optional::empty);
    }

    @Test
    void defaultsTo1080OnLoopbackAndParsesDashD() {
        CommandLine cli = SsmSession.commandLine(context(System.err));
        SocksCommand plain = (SocksCommand) cli.parseArgs("socks", "--target", "i-1")
                .subcommand().commandSpec().userObject();
        assertThat(plain.target).isEqualTo("i-1");
        assertThat(plain.listen).isEqualTo(new Listen("127.0.0.1", 1080));

        cli = SsmSession.commandLine(context(System.err));
        SocksCommand bound = (SocksCommand) cli.parseArgs("socks", "-t", "i-2", "-D", "0.0.0.0:1081")
                .subcommand().commandSpec().userObject();
        assertThat(bound.listen).isEqualTo(new Listen("0.0.0.0", 1081));
    }

    @Test
    void badDashDIsAUsageErrorOnOneLine() {
        CliRun run = CliRun.run(new FakeSessions(), dir.resolve("test.log"), "socks", "-t", "i-1", "-D", "::1:1080");
        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).contains("invalid -D '::1:1080'", "[::1]:1080", "Try 'ssm-session socks --help'");
        assertThat(run.err()).doesNotContain("\tat ");
    }

    /** Completes with the first line printed that matches. */
    private static final class Watch extends PrintStream {
        final CompletableFuture<Matcher> line = new CompletableFuture<>();
        private final Pattern pattern;

        Watch(Pattern pattern) {
            super(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8);
            this.pattern = pattern;
        }

        @Override
        public void println(String x) {
            Matcher m = pattern.matcher(x);
            if (m.matches()) {
                line.complete(m);
            }
        }
    }

    @Test
    void runsTheProxyThroughTheTargetUntilInterrupted() throws Exception {
        try (LocalSessionManager local = LocalSessionManager.startDefault();
             ServerSocket echo = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            TestkitCredentials c = local.credentials();
            Connection connection = new Connection(Optional.empty(), Optional.of(local.region()),
                    Optional.of(local.ssmEndpoint()), Optional.of(local.kmsEndpoint()),
                    Optional.of(new Connection.StaticCredentials(c.accessKeyId(), c.secretAccessKey(), c.sessionToken())),
                    true);
            CompletableFuture.runAsync(() -> {
                try (Socket s = echo.accept()) {
                    s.getInputStream().transferTo(s.getOutputStream());
                } catch (IOException e) {
                    // the peer went away
                }
            });
            SocksCommand command = new SocksCommand();
            command.target = local.defaultTarget();
            command.listen = Listen.parse("0");
            Watch status = new Watch(Pattern.compile("SOCKS5 proxy on 127\\.0\\.0\\.1:(\\d+) through "
                    + Pattern.quote(local.defaultTarget())));
            CompletableFuture<Throwable> stopped = new CompletableFuture<>();
            Thread runner = new Thread(() -> {
                try (SessionManager manager = ClientSessions.manager(connection, Map.of())) {
                    command.serve(manager, InetAddress.getLoopbackAddress(), status);
                    stopped.complete(null);
                } catch (Throwable t) {
                    stopped.complete(t);
                }
            }, "socks-command");
            runner.start();

            int port = Integer.parseInt(status.line.get(60, TimeUnit.SECONDS).group(1));
            try (Socket s = new Socket(new Proxy(Proxy.Type.SOCKS, new InetSocketAddress("127.0.0.1", port)))) {
                s.setSoTimeout(30_000);
                s.connect(InetSocketAddress.createUnresolved("localhost", echo.getLocalPort()), 30_000);
                byte[] hello = "through the instance".getBytes(StandardCharsets.UTF_8);
                s.getOutputStream().write(hello);
                assertThat(s.getInputStream().readNBytes(hello.length)).isEqualTo(hello);
            }

            runner.interrupt();  // what Ctrl-C amounts to once the shutdown hook closed the proxy
            assertThat(stopped.get(30, TimeUnit.SECONDS)).isInstanceOf(InterruptedIOException.class);
            assertThatThrownBy(() -> new Socket("127.0.0.1", port).close()).isInstanceOf(IOException.class);
        }
    }
}
