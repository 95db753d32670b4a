package dev.ssmsession.cli;

import dev.ssmsession.cli.terminal.StatusPrintStream;
import dev.ssmsession.client.SessionManager;
import dev.ssmsession.cli.terminal.LiveStatus;
import dev.ssmsession.client.SocksProxy;
import dev.ssmsession.client.TunnelSocketFactory;
import java.io.InterruptedIOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.TypeConversionException;

/** {@code ssm-session socks}: a local SOCKS5 proxy whose connections leave from the target. */
@Command(name = "socks", description = {
    "A local SOCKS5 proxy (CONNECT, no authentication) whose connections leave from the target, like ssh -D.",
    "Host names are resolved by the target. One session per destination host:port, shared by its connections.",
    "Runs until Ctrl-C."
})
final class SocksCommand implements Callable<Integer> {
    @ParentCommand
    SsmSession root;

    @Option(names = {"-t", "--target"}, required = true, paramLabel = "ID", description = "The managed node.")
    String target;

    @Option(names = {"-D", "--dynamic"}, paramLabel = "[BIND:]PORT", converter = ListenConverter.class,
            description = "Where to listen (default 127.0.0.1:1080), e.g. 1081, 0.0.0.0:1080, [::1]:1080, 0 = any free port.")
    Listen listen = Listen.DEFAULT;

    @Option(names = "--sessions", paramLabel = "N", defaultValue = "1", description = "Spread each destination's "
            + "connections over up to N sessions (1-32, default 1); one connection stays on one session.")
    int sessions = 1;

    @Option(names = "--idle-timeout", paramLabel = "DURATION", defaultValue = "5m", converter = DurationConverter.class,
            description = "Close a destination's sessions after this long without connections "
                    + "(default 5m; 0 = never); they reopen on the next CONNECT.")
    Duration idleTimeout = Duration.ofMinutes(5);

    @Option(names = "--connect-wait", paramLabel = "DURATION", defaultValue = "0", converter = DurationConverter.class,
            description = "Wait up to this long (e.g. 300ms) for the agent to report a failed dial before answering "
                    + "a CONNECT, for tools that need the error in the SOCKS reply. Default 0: answer at once and "
                    + "reset the connection if the dial then fails.")
    Duration connectWait = Duration.ZERO;

    @Option(names = {"-q", "--quiet"}, description = "No live status line on a terminal.")
    boolean quiet;

    /** The {@code -D} argument: an address to bind and a port, OpenSSH-style. */
    record Listen(String bindAddress, int port) {
        static final Listen DEFAULT = new Listen(ForwardSpec.LOOPBACK, 1080);

        static Listen parse(String spec) {
            String bind = ForwardSpec.LOOPBACK;
            String port = spec;
            if (spec.startsWith("[")) {
                int close = spec.indexOf(']');
                if (close < 0 || close + 1 >= spec.length() || spec.charAt(close + 1) != ':') {
                    throw new IllegalArgumentException("invalid -D '" + spec + "': expected [ADDRESS]:PORT");
                }
                bind = spec.substring(1, close);
                port = spec.substring(close + 2);
            } else if (spec.contains(":")) {
                int colon = spec.lastIndexOf(':');
                bind = spec.substring(0, colon);
                port = spec.substring(colon + 1);
                if (bind.contains(":")) {
                    throw new IllegalArgumentException("invalid -D '" + spec
                            + "': put an IPv6 bind address in brackets, e.g. [::1]:1080");
                }
            }
            if (bind.isBlank()) {
                throw new IllegalArgumentException("invalid -D '" + spec + "': empty bind address");
            }
            if (port.isEmpty() || port.length() > 5 || !port.chars().allMatch(Character::isDigit)
                    || Integer.parseInt(port) > 65535) {
                throw new IllegalArgumentException("invalid -D '" + spec + "': port '" + port
                        + "' is not a number in 0-65535");
            }
            return new Listen(bind, Integer.parseInt(port));
        }
    }

    static final class ListenConverter implements ITypeConverter<Listen> {
        @Override
        public Listen convert(String value) {
            try {
                return Listen.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    @Override
    public Integer call() throws InterruptedIOException {
        InetAddress bind;
        try {
            bind = InetAddress.getByName(listen.bindAddress());
        } catch (UnknownHostException e) {
            throw CliException.usage("cannot resolve the -D bind address '" + listen.bindAddress() + "'",
                    "use an address of this machine, e.g. 127.0.0.1 or 0.0.0.0");
        }
        try (SessionManager manager = ClientSessions.manager(root.connection(), root.context.env(),
                new ReconnectStatus(StatusPrintStream.of(root.context.err())))) {
            return serve(manager, bind, root.context.err());
        }
    }

    /** Runs the proxy until it ends, Ctrl-C (the shutdown hook) or an interrupt. */
    int serve(SessionManager manager, InetAddress bind, PrintStream status) throws InterruptedIOException {
        PortForwardCommand.checkSessions(sessions);
        SocksProxy proxy = manager.socksProxy(target, SocksProxy.Options.defaults().withBindAddress(bind)
                .withLocalPort(listen.port()).withConnectWait(connectWait)
                .withTunnels(TunnelSocketFactory.Options.defaults().withSessionsPerDestination(sessions)
                        .withIdleTimeout(idleTimeout)));
        InetSocketAddress at = proxy.localAddress();
        LiveStatus line = new LiveStatus(StatusPrintStream.of(status), quiet, new ForwardStatus(System::nanoTime)
                .add(new ForwardStatus.Source("SOCKS " + at.getPort(), 0, proxy::stats, () -> false)), () -> false);
        UntilEnded run = UntilEnded.onSignal("ssm-session-close-socks", () -> {
            line.close();
            status.println("Terminate signal received, exiting.");
            proxy.close();
        });
        try {
            String host = at.getAddress().getHostAddress();
            String where = (host.contains(":") ? "[" + host + "]" : host) + ":" + at.getPort();
            status.println("SOCKS5 proxy on " + where + " through " + target);
            line.start();
            run.await(proxy.ended());
            return ExitCodes.OK;
        } finally {
            run.finish(() -> {
                line.close();
                proxy.close();
            });
        }
    }
}
