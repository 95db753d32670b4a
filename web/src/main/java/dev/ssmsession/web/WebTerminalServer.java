package dev.ssmsession.web;

import dev.ssmsession.web.internal.AccessPolicy;
import dev.ssmsession.web.internal.ShellIo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A small HTTP/1.1 + WebSocket server for the browser terminal: the page, its assets and one shell session per
 * WebSocket (per browser tab). Binds 127.0.0.1 by default; every URL carries a random token ({@link #url()}), without
 * which the answer is 403; a WebSocket must come from a page of this very server (Origin); no CORS headers are sent.
 * Nothing about credentials reaches the page: it only ever sees a target id, terminal bytes and how the session ended.
 *
 * <p>One thread per connection: a browser tab holds one WebSocket, and assets are fetched once.
 */
public final class WebTerminalServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WebTerminalServer.class);
    private static final AtomicInteger SERVERS = new AtomicInteger();

    private final Builder config;
    private final String token;
    private final ServerSocket listener;
    private final AccessPolicy access;
    private final ScheduledExecutorService timers;
    private final Set<WebTerminalBridge> bridges = ConcurrentHashMap.newKeySet();
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    private WebTerminalServer(Builder b) throws IOException {
        this.config = b;
        byte[] secret = new byte[32];
        b.random.nextBytes(secret);
        this.token = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        this.listener = new ServerSocket();
        listener.bind(new InetSocketAddress(b.bindAddress, b.port), 50);
        this.access = new AccessPolicy(token, allowedHosts(b.bindAddress, listener.getLocalPort()));
        int n = SERVERS.incrementAndGet();
        this.timers = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "ssm-session-web-timer-" + n));
        daemon(this::acceptLoop, "ssm-session-web-accept-" + n).start();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Host header values a loopback bind accepts; a remote bind accepts any (the token and Origin checks remain). */
    static Set<String> allowedHosts(InetAddress bind, int port) {
        if (!bind.isLoopbackAddress()) {
            return Set.of();
        }
        Set<String> hosts = new LinkedHashSet<>();
        hosts.add("localhost:" + port);
        hosts.add(hostPart(bind) + ":" + port);
        return hosts;
    }

    private static String hostPart(InetAddress a) {
        return a instanceof Inet6Address ? "[" + a.getHostAddress().replaceFirst("%.*$", "") + "]" : a.getHostAddress();
    }

    /** The address to open in a browser: {@code http://host:port/<token>/}. Treat it as a password. */
    public URI url() {
        InetAddress bound = listener.getInetAddress();
        String host;
        if (bound.isAnyLocalAddress()) {
            try {
                host = InetAddress.getLocalHost().getHostName();
            } catch (IOException e) {
                host = "localhost";
            }
        } else {
            host = hostPart(bound);
        }
        return URI.create("http://" + host + ":" + listener.getLocalPort() + "/" + token + "/");
    }

    public InetSocketAddress localAddress() {
        return (InetSocketAddress) listener.getLocalSocketAddress();
    }

    /** The sessions open now, one per connected page. */
    public int openSessions() {
        return bridges.size();
    }

    Optional<String> target() {
        return Optional.ofNullable(config.target);
    }

    Optional<InstanceDirectory> instances() {
        return Optional.ofNullable(config.instances);
    }

    ShellIo.Opener shells() {
        return config.shells;
    }

    void opened(WebTerminalBridge bridge) {
        bridges.add(bridge);
        if (closed) {
            bridge.onClose();
        }
    }

    void closed(WebTerminalBridge bridge) {
        bridges.remove(bridge);
    }

    private void acceptLoop() {
        while (!closed) {
            Socket s;
            try {
                s = listener.accept();
            } catch (SocketException e) {
                if (!closed) {
                    LOG.warn("web terminal stopped accepting connections: {}", e.getMessage());
                }
                return;
            } catch (IOException e) {
                LOG.warn("web terminal accept failed: {}", e.getMessage());
                continue;
            }
            sockets.add(s);
            daemon(() -> {
                try {
                    new PageConnection(s, this, access, timers).run();
                } finally {
                    sockets.remove(s);
                }
            }, "ssm-session-web-" + s.getPort()).start();
        }
    }

    /** Stops listening, ends every session (TerminateSession) and closes the pages' connections. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            listener.close();
        } catch (IOException e) {
            LOG.debug("closing the listener: {}", e.getMessage());
        }
        bridges.forEach(WebTerminalBridge::onClose);
        for (Socket s : sockets) {
            try {
                s.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
        timers.shutdownNow();
    }

    @Override
    public String toString() {
        return "WebTerminalServer[" + localAddress() + ", token=***]";
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /** Configuration; {@link #shells(ShellOpener)} is required. */
    public static final class Builder {
        private InetAddress bindAddress = InetAddress.getLoopbackAddress();
        private int port;
        private boolean allowRemote;
        private ShellIo.Opener shells;
        private InstanceDirectory instances;
        private String target;
        private SecureRandom random = new SecureRandom();

        private Builder() {
        }

        /** Default 127.0.0.1. Any other than a loopback address needs {@link #allowRemote(boolean)}. */
        public Builder bindAddress(InetAddress address) {
            this.bindAddress = Objects.requireNonNull(address, "address");
            return this;
        }

        /** Default 0: any free port ({@link #url()} tells which). */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be 0..65535, was " + port);
            }
            this.port = port;
            return this;
        }

        /** Whether a non-loopback bind is allowed: anyone who can reach it and has the URL gets a shell. */
        public Builder allowRemote(boolean allow) {
            this.allowRemote = allow;
            return this;
        }

        /** Opens a page's shell, e.g. {@code sessionManager::shell}. */
        public Builder shells(ShellOpener shells) {
            Objects.requireNonNull(shells, "shells");
            this.shells = (target, cols, rows) -> ShellIo.of(shells.open(target, cols, rows));
            return this;
        }

        /** Tests: scripted shells instead of sessions. */
        Builder shellIos(ShellIo.Opener shells) {
            this.shells = Objects.requireNonNull(shells, "shells");
            return this;
        }

        /** Lists the instances to pick from when the page has no target, e.g. {@code sessionManager::managedInstances}. */
        public Builder instances(InstanceDirectory instances) {
            this.instances = instances;
            return this;
        }

        /** Serve this target only: pages open it at once and cannot ask for another. */
        public Builder target(String target) {
            this.target = target;
            return this;
        }

        /** Where the URL token comes from (tests pass a seeded one). */
        public Builder random(SecureRandom random) {
            this.random = Objects.requireNonNull(random, "random");
            return this;
        }

        /**
         * Binds and starts serving.
         *
         * @throws IllegalArgumentException for a non-loopback bind without {@link #allowRemote(boolean)}
         * @throws UncheckedIOException when the address cannot be bound; the message names it
         */
        public WebTerminalServer start() {
            if (shells == null) {
                throw new IllegalStateException("shells(ShellOpener) is required");
            }
            if (!bindAddress.isLoopbackAddress() && !allowRemote) {
                throw new IllegalArgumentException("binding to " + bindAddress.getHostAddress() + " would offer a shell"
                        + " to everyone who can reach this machine; allow it explicitly (--allow-remote)");
            }
            try {
                return new WebTerminalServer(this);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot listen on " + bindAddress.getHostAddress() + ":" + port + ": "
                        + e.getMessage(), e);
            }
        }
    }
}
