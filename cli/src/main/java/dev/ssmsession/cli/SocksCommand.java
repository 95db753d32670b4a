package dev.ssmsession.cli;

import dev.ssmsession.cli.terminal.StatusPrintStream;
import dev.ssmsession.client.SessionManager;
import dev.ssmsession.client.SocksProxy;
import java.io.InterruptedIOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
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
        SocksProxy proxy = manager.socksProxy(target,
                SocksProxy.Options.defaults().withBindAddress(bind).withLocalPort(listen.port()));
        UntilEnded run = UntilEnded.onSignal("ssm-session-close-socks", () -> {
            status.println("Terminate signal received, exiting.");
            proxy.close();
        });
        try {
            InetSocketAddress at = proxy.localAddress();
            String host = at.getAddress().getHostAddress();
            status.println("SOCKS5 proxy on " + (host.contains(":") ? "[" + host + "]" : host) + ":" + at.getPort()
                    + " through " + target);
            run.await(proxy.ended());
            return ExitCodes.OK;
        } finally {
            run.finish(proxy::close);
        }
    }
}
