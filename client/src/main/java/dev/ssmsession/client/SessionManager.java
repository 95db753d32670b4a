package dev.ssmsession.client;

import dev.ssmsession.client.SessionException.Reason;
import dev.ssmsession.client.internal.AwsSetup;
import dev.ssmsession.client.internal.CaBundle;
import dev.ssmsession.client.internal.ChannelSession;
import dev.ssmsession.client.internal.KmsDataKeyProvider;
import dev.ssmsession.client.internal.ManagerInternals;
import dev.ssmsession.client.internal.ManagerThreads;
import dev.ssmsession.client.internal.SsmApi;
import dev.ssmsession.client.internal.TransportContext;
import dev.ssmsession.client.internal.UpgradeSigner;
import dev.ssmsession.client.internal.WebSocketConnection;
import dev.ssmsession.protocol.channel.DataChannelConfig;
import dev.ssmsession.protocol.crypto.DataKeyProvider;
import dev.ssmsession.protocol.message.ClientMessageCodec;
import dev.ssmsession.protocol.payload.Payloads;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.regions.Region;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

/**
 * The entry point: AWS configuration (credentials, region, endpoints, proxy, CA bundle) resolved
 * once, plus the SDK clients, the process-wide ClientId and a scheduler shared by all sessions it
 * opens. Immutable and thread-safe; {@link #close()} releases the SDK clients and the scheduler.
 *
 * <p>Configuration follows the AWS CLI: values set on the builder win; otherwise the environment
 * ({@code AWS_PROFILE}, {@code AWS_REGION}/{@code AWS_DEFAULT_REGION}, {@code AWS_ENDPOINT_URL},
 * {@code AWS_ENDPOINT_URL_SSM}/{@code _SSMMESSAGES}/{@code _KMS}, {@code HTTPS_PROXY}/{@code HTTP_PROXY}/{@code NO_PROXY},
 * {@code AWS_CA_BUNDLE}); otherwise the SDK's default chains (profiles, SSO, IMDS…).
 *
 * <h2>Threads</h2>
 * A manager starts daemon threads only: one reader per open WebSocket, a two-thread scheduler shared by its
 * sessions (timers: resends, pacing, pings, reconnect back-off) and a growing I/O pool (AWS calls, reconnects,
 * KMS, local socket pumps). Readers and scheduler threads never block and never run a caller's code: every
 * future this library returns ({@link Session#info()}, {@link Session#ended()}, {@link PortForward#ended()}…)
 * completes on the I/O pool, and listeners ({@link ConnectionListener}, {@link PortForwardListener}) are called
 * there, in order per session. Callbacks may block, at the cost of that session's later callbacks. The blocking
 * calls of this class ({@link #start}, {@link #run}, {@link #close()}…) run on the caller's thread; every method
 * is thread-safe.
 */
public final class SessionManager implements AutoCloseable {
    /** Reported in OpenDataChannel and the handshake (SPEC §8.6); must be above 1.2.331.0. */
    public static final String DEFAULT_CLIENT_VERSION = "1.2.764.0";
    public static final Duration DEFAULT_RECONNECT_DEADLINE = Duration.ofMinutes(5);
    /** How long {@link #close()} waits, in all, for the TerminateSession calls of the sessions still open. */
    static final Duration DEFAULT_CLOSE_TIMEOUT = Duration.ofSeconds(5);
    static final Duration PING_INTERVAL = Duration.ofMinutes(5);
    static final int CONNECT_TIMEOUT_MILLIS = 45_000;
    private static final Pattern VERSION = Pattern.compile("\\d+\\.\\d+\\.\\d+\\.\\d+");
    private static final Logger log = LoggerFactory.getLogger(SessionManager.class);

    static {
        // The project's modules beside the library (doctor) reach the AwsSetup through ManagerInternals, not through
        // a public method of this class: see there.
        ManagerInternals.install(m -> m.aws);
    }

    private final Builder config;
    private final AwsSetup aws;
    private final UUID clientId = UUID.randomUUID();
    private final Set<Session> open = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;
    private final ScheduledExecutorService scheduler;
    private final ExecutorService io;
    private final SsmApi ssmApi;
    private final TransportContext transport;
    private final DataChannelConfig channelConfig;
    private final boolean signUpgrade;
    private final Duration closeTimeout;

    private SessionManager(Builder b) {
        this.config = b.copy();
        if (!VERSION.matcher(b.clientVersion).matches()) {
            throw new SessionException(Reason.CONFIGURATION,
                    "clientVersion must have four numeric parts like 1.2.764.0, got " + b.clientVersion);
        }
        Map<String, String> env = b.environment != null ? Map.copyOf(b.environment) : System.getenv();
        this.signUpgrade = b.signUpgrade != null ? b.signUpgrade : !skipClientConfigure(env.get("SSM_PLUGIN_SKIP_CLIENT_CONFIGURE"));
        this.aws = new AwsSetup(new AwsSetup.Inputs(b.credentialsProvider, b.profile, b.region, b.ssmEndpoint,
                b.ssmMessagesEndpoint, b.kmsEndpoint, b.proxy, b.noProxy, b.caBundle, env));
        ScheduledThreadPoolExecutor ex = new ScheduledThreadPoolExecutor(1, ManagerThreads.scheduler("ssm-session-"));
        ex.setRemoveOnCancelPolicy(true);
        this.scheduler = Executors.unconfigurableScheduledExecutorService(ex);
        this.io = Executors.newCachedThreadPool(ManagerThreads.daemon("ssm-session-io-"));
        this.ssmApi = new SsmApi(aws::ssm);
        this.transport = new TransportContext(
                new WebSocketConnection.Settings(tlsInBackground(aws.trustManagers(), io), aws.proxy(),
                        CONNECT_TIMEOUT_MILLIS, b.maxFrameSize),
                AwsSetup.streamUrlRewrite(aws.ssmMessagesEndpoint(), b.streamUrlHost),
                aws.credentials(), aws.region().id(), signUpgrade, new UpgradeSigner(Clock.systemUTC()),
                ssmApi, clientId, b.clientVersion, b.reconnectDeadline, PING_INTERVAL, scheduler, io,
                System::nanoTime);
        this.channelConfig = b.channelConfig;
        this.closeTimeout = b.closeTimeout;
    }

    /** SPEC §1.2: the plugin's switch to turn the client set-up, and with it the signing, off. */
    private static boolean skipClientConfigure(String value) {
        return value != null && !value.isBlank() && !value.trim().equalsIgnoreCase("false") && !value.trim().equals("0");
    }

    /**
     * The TLS context, built on the I/O pool while the rest of the start-up goes on (loading the JDK's trust store
     * is a few hundred milliseconds of a cold CLI); the first {@code wss://} connection waits for it if it must.
     */
    private static java.util.function.Supplier<javax.net.ssl.SSLContext> tlsInBackground(
            javax.net.ssl.TrustManager[] trust, ExecutorService io) {
        java.util.concurrent.CompletableFuture<javax.net.ssl.SSLContext> tls =
                java.util.concurrent.CompletableFuture.supplyAsync(() -> CaBundle.sslContext(trust), io);
        return () -> {
            try {
                return tls.join();
            } catch (java.util.concurrent.CompletionException e) {
                throw e.getCause() instanceof RuntimeException r ? r : e;
            }
        };
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The default chains for everything. */
    public static SessionManager create() {
        return builder().build();
    }

    public Builder toBuilder() {
        return config.copy();
    }

    public Region region() {
        return aws.region();
    }

    public String clientVersion() {
        return config.clientVersion;
    }

    /** The ClientId this manager sends in every OpenDataChannel (one per manager, SPEC §1.3). */
    public UUID clientId() {
        return clientId;
    }

    /** Calls {@code StartSession}; the returned token opens the data channel. */
    public SessionToken startSession(SessionRequest request) {
        return ssmApi.startSession(request);
    }

    /**
     * Lists the managed nodes this account and region can reach ({@code DescribeInstanceInformation}, every page): id,
     * name, platform and ping status, e.g. for a picker.
     */
    public List<ManagedInstance> managedInstances() {
        return ssmApi.describeInstances();
    }

    /** Calls {@code TerminateSession}. */
    public void terminateSession(String sessionId) {
        ssmApi.terminateSession(sessionId);
    }

    /**
     * Starts a session ({@code StartSession}) and opens its data channel. The returned session is
     * connected; its kind is known after the handshake ({@link Session#info()}).
     */
    public Session start(SessionRequest request) {
        warmUpFor(request);
        SessionToken token = startSession(request);
        try {
            return connect(token, request.target());
        } catch (RuntimeException e) {
            try {
                terminateSession(token.sessionId());
            } catch (SessionException ignored) {
                // the original failure is what matters
            }
            throw e;
        }
    }

    /**
     * Opens the data channel of a session someone else started (the AWS CLI hands the plugin the
     * StartSession response, SPEC §9).
     *
     * @param target the StartSession target; needed for KMS-encrypted sessions (SPEC §5.1), else may be null
     */
    public Session open(SessionToken token, String target) {
        io.execute(Payloads::warmUp);
        return connect(token, target);
    }

    /**
     * {@link #open(SessionToken, String)} for a session started with {@code request}, someone else's StartSession
     * (the plugin's: the AWS CLI's request parameters). Its document tells whether the agent will handshake.
     */
    public Session open(SessionToken token, SessionRequest request) {
        warmUpFor(request);
        return connect(token, request.target());
    }

    /**
     * Jackson's first look at the handshake's types (a few hundred milliseconds of a cold JVM), on the I/O pool while
     * StartSession and the connection go on, for the sessions whose agent handshakes: port, command and SSH
     * documents, not the default shell (SPEC §4.1; a KMS-encrypted shell's handshake then meets a cold mapper once).
     */
    private void warmUpFor(SessionRequest request) {
        String document = request.documentName().orElse(SessionRequest.SHELL_DOCUMENT);
        if (!document.equals(SessionRequest.SHELL_DOCUMENT)) {
            io.execute(Payloads::warmUp);
        }
    }

    private Session connect(SessionToken token, String target) {
        if (closed) {
            throw new SessionException(Reason.CLOSED, "this SessionManager is closed");
        }
        ChannelSession channel = ChannelSession.create(transport, token, target, kmsDataKeys(), channelConfig);
        Session s = new Session(channel, io);
        if (config.connectionListener != null) {
            s.addConnectionListener(config.connectionListener);
        }
        // Registered before connecting, so that a close() from now on ends it, connecting or not.
        open.add(s);
        s.ended().whenComplete((end, err) -> open.remove(s));
        if (closed) {
            // close() took its snapshot of the open sessions before the add above.
            throw closedWhileOpening(s, null);
        }
        try {
            channel.connect();
        } catch (RuntimeException e) {
            open.remove(s);
            if (closed) {
                throw closedWhileOpening(s, e);
            }
            throw e;
        }
        if (closed) {
            throw closedWhileOpening(s, null);
        }
        return s;
    }

    /** Ends a session that lost the race with {@link #close()}: its executors are gone or going. */
    private SessionException closedWhileOpening(Session s, RuntimeException cause) {
        SessionException e = new SessionException(Reason.CLOSED,
                "this SessionManager was closed while session " + s.sessionId() + " was opening", cause);
        try {
            s.close();
        } catch (RuntimeException closing) {
            e.addSuppressed(closing);
        }
        return e;
    }

    /** {@link #shell(String, int, int)} at 80×24. */
    public ShellSession shell(String target) {
        return start(SessionRequest.shell(target)).shell();
    }

    /** Starts an interactive shell on {@code target} with the default shell document. */
    public ShellSession shell(String target, int cols, int rows) {
        return start(SessionRequest.shell(target)).shell(cols, rows);
    }

    /**
     * Runs {@code command} with {@code AWS-StartNonInteractiveCommand} and collects its output and
     * exit code.
     */
    public CommandResult run(String target, String command, Duration timeout) {
        return run(SessionRequest.command(target, command), timeout);
    }

    /** Runs a command document and collects stdout, stderr and the exit code. */
    public CommandResult run(SessionRequest request, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Session s = start(request)) {
            CommandSession c = s.command();
            CompletableFuture<byte[]> out = readAll(c.stdout());
            CompletableFuture<byte[]> err = readAll(c.stderr());
            // On timeout the session is closed (TerminateSession) by try-with-resources.
            SessionEnd end = s.awaitEnd(remaining(deadline));
            // Once the session ended the streams are at EOF, or fail with the session's error.
            byte[] o = Session.await(out, remaining(deadline).plusSeconds(5), "stdout of " + s.sessionId());
            byte[] e = Session.await(err, remaining(deadline).plusSeconds(5), "stderr of " + s.sessionId());
            return new CommandResult(o, e, end.exitCode());
        }
    }

    private CompletableFuture<byte[]> readAll(java.io.InputStream in) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return in.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, io);
    }

    private static Duration remaining(long deadlineNanos) {
        return Duration.ofNanos(Math.max(0, deadlineNanos - System.nanoTime()));
    }

    /** Starts an {@code AWS-StartSSHSession}-style stdio stream to {@code port} on the target. */
    public StdioSession stdio(String target, int port) {
        return start(SessionRequest.stdio(target, port)).stdio();
    }

    /**
     * Starts a port forwarding session to {@code remotePort} on the target itself ({@code host}
     * null) or on {@code host} reached from it, and listens locally as {@code options} say.
     */
    public PortForward forwardPort(String target, String host, int remotePort, PortForward.Options options) {
        return forwardPort(SessionRequest.portForwarding(target, host, remotePort), options);
    }

    /**
     * {@link #forwardPort(String, String, int, PortForward.Options)} with a request of the caller's (another port
     * forwarding document, a reason). The local listener is bound first: a port in use costs no session.
     */
    public PortForward forwardPort(SessionRequest request, PortForward.Options options) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(options, "options");
        List<String> host = request.parameters().getOrDefault("host", List.of());
        String destination = (host.isEmpty() ? request.target() : host.get(0) + " through " + request.target())
                + " port " + String.join(",", request.parameters().getOrDefault("portNumber", List.of("?")));
        return new PortForward(options, where -> {
            Session first = start(request);
            try {
                first.portsForSocket();  // a port session, bound before any data arrives
                if (options.sessions() == 1) {
                    return first.singlePool(where + " → " + destination, options);
                }
                SessionPool pool = new SessionPool(where + " → " + destination, () -> {
                    Session s = start(request);
                    s.portsForSocket();
                    return s;
                }, options.sessions(), options.idleTimeout(), scheduler, io, System::nanoTime);
                pool.add(first, true);
                return pool;
            } catch (RuntimeException e) {
                first.close();
                throw e;
            }
        }, io, true, () -> { });
    }

    /**
     * A {@link javax.net.SocketFactory} whose sockets reach the host and port they are connected to
     * through {@code target} (e.g. a JDBC driver's database host). One port forwarding session per
     * distinct host:port, started on first use, multiplexing all sockets to it; closing the factory
     * ends the sessions.
     */
    public TunnelSocketFactory socketFactory(String target) {
        return socketFactory(target, TunnelSocketFactory.Options.defaults());
    }

    /** {@link #socketFactory(String)} with several sessions per destination, or another idle timeout. */
    public TunnelSocketFactory socketFactory(String target, TunnelSocketFactory.Options options) {
        Objects.requireNonNull(target, "target");
        return new TunnelSocketFactory(this, target, options);
    }

    /**
     * A local SOCKS5 proxy whose CONNECTs leave from {@code target}: one port forwarding session
     * per destination host:port (as {@link #socketFactory}), many connections per session.
     */
    public SocksProxy socksProxy(String target, SocksProxy.Options options) {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(options, "options");
        return new SocksProxy(new TunnelSocketFactory(this, target, options.tunnels()), options, io);
    }

    ScheduledExecutorService scheduler() {
        return scheduler;
    }

    /** The data keys of KMS-encrypted sessions, from this manager's KMS client (SPEC §5.1). */
    private DataKeyProvider kmsDataKeys() {
        return new KmsDataKeyProvider(aws::kms);
    }

    TransportContext transport() {
        return transport;
    }

    ExecutorService io() {
        return io;
    }

    /**
     * Closes every session still open, then the SDK clients and threads. The TerminateSession
     * calls run at once and get a few seconds in all; a session whose call did not finish by then
     * ends here anyway (logged), and the service ends it when it times out. Never throws; closing
     * again does nothing.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        terminateAll(List.copyOf(open));
        // A session that already ended may still be in TerminateSession on the thread that closed it (its ended()
        // completes when the channel closes, before that call returns): closing the SDK client would cut it off.
        try {
            if (!ssmApi.awaitTerminations(closeTimeout)) {
                log.warn("TerminateSession still under way after {} ms; the service ends the session when it times out",
                        closeTimeout.toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        scheduler.shutdownNow();
        io.shutdownNow();
        aws.close();
    }

    /** Against an unreachable endpoint each call costs the SDK's timeouts and retries: never one after another. */
    private void terminateAll(List<Session> sessions) {
        if (sessions.isEmpty()) {
            return;
        }
        Map<Session, CompletableFuture<Void>> calls = new LinkedHashMap<>();
        for (Session s : sessions) {
            // ended() may be completed by the thread that saw channel_closed, just after close() returned:
            // wait for it too, so that every session has ended when this method returns.
            calls.put(s, CompletableFuture.runAsync(() -> closeQuietly(s), io)
                    .thenCompose(done -> s.ended().handle((end, failure) -> (Void) null)));
        }
        try {
            CompletableFuture.allOf(calls.values().toArray(CompletableFuture[]::new))
                    .get(closeTimeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException | ExecutionException e) {
            // the sessions not done yet are sorted out below
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        List<String> unconfirmed = new ArrayList<>();
        calls.forEach((s, call) -> {
            if (!call.isDone()) {
                unconfirmed.add(s.sessionId());
                s.channel().abandon();
            }
        });
        awaitEnded(sessions);
        if (!unconfirmed.isEmpty()) {
            log.warn("TerminateSession did not finish within {} ms for session(s) {}; they are closed here and the "
                    + "service ends them when they time out", closeTimeout.toMillis(), unconfirmed);
        }
    }

    /** An abandoned session's end may still be completing on the thread that ended it first. */
    private static void awaitEnded(List<Session> sessions) {
        try {
            CompletableFuture.allOf(sessions.stream().map(s -> s.ended().handle((end, failure) -> null))
                    .toArray(CompletableFuture[]::new)).get(1, TimeUnit.SECONDS);
        } catch (TimeoutException | ExecutionException e) {
            log.warn("some sessions had not reported their end when the SessionManager closed");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(Session s) {
        try {
            s.close();
        } catch (RuntimeException e) {
            log.warn("Closing session {} failed: {}", s.sessionId(), e.toString());
            s.channel().abandon();
        }
    }

    @Override
    public String toString() {
        return "SessionManager[" + aws + ", profile=" + config.profile + ", streamUrlHost=" + config.streamUrlHost
                + ", clientVersion=" + config.clientVersion + ", reconnectDeadline=" + config.reconnectDeadline
                + ", signUpgrade=" + signUpgrade + "]";
    }

    /** Mutable builder; {@link #build()} resolves and validates everything once. */
    public static final class Builder {
        private AwsCredentialsProvider credentialsProvider;
        private String profile;
        private String region;
        private URI ssmEndpoint;
        private URI ssmMessagesEndpoint;
        private URI kmsEndpoint;
        private String streamUrlHost;
        private URI proxy;
        private String noProxy;
        private Path caBundle;
        private String clientVersion = DEFAULT_CLIENT_VERSION;
        private Duration reconnectDeadline = DEFAULT_RECONNECT_DEADLINE;
        private int maxFrameSize = ClientMessageCodec.DEFAULT_MAX_FRAME_SIZE;
        private Boolean signUpgrade;
        private Map<String, String> environment;
        private DataChannelConfig channelConfig =
                DataChannelConfig.builder().build();
        private Duration closeTimeout = DEFAULT_CLOSE_TIMEOUT;
        private ConnectionListener connectionListener;

        private Builder() {
        }

        /** Any SDK v2 provider; wins over {@link #profile(String)}. */
        public Builder credentialsProvider(AwsCredentialsProvider provider) {
            this.credentialsProvider = provider;
            return this;
        }

        /** A named profile of ~/.aws/config and ~/.aws/credentials (static keys, SSO, assume-role, process…). */
        public Builder profile(String profile) {
            this.profile = profile;
            return this;
        }

        public Builder region(String region) {
            this.region = region;
            return this;
        }

        public Builder ssmEndpoint(URI endpoint) {
            this.ssmEndpoint = endpoint;
            return this;
        }

        /**
         * The ssmmessages endpoint (e.g. a VPC interface endpoint DNS name when private DNS is
         * off): the StreamUrl's scheme, host and port are replaced by this endpoint's.
         */
        public Builder ssmMessagesEndpoint(URI endpoint) {
            this.ssmMessagesEndpoint = endpoint;
            return this;
        }

        public Builder kmsEndpoint(URI endpoint) {
            this.kmsEndpoint = endpoint;
            return this;
        }

        /** Replaces only the host of every StreamUrl (applied after {@link #ssmMessagesEndpoint(URI)}). */
        public Builder streamUrlHost(String host) {
            this.streamUrlHost = host;
            return this;
        }

        /**
         * {@code http://[user:password@]host:port}, for the SDK calls and the WebSocket CONNECT of every
         * scheme (instead of {@code HTTPS_PROXY} and {@code HTTP_PROXY}).
         */
        public Builder proxy(URI proxy) {
            this.proxy = proxy;
            return this;
        }

        /**
         * Hosts that bypass the proxy, {@code NO_PROXY} syntax: {@code *}, host names and domains
         * ({@code example.com}, {@code .example.com}, {@code *.example.com}), IP addresses, CIDR ranges,
         * each optionally with {@code :port}.
         */
        public Builder noProxy(String noProxy) {
            this.noProxy = noProxy;
            return this;
        }

        /** A PEM file of CA certificates trusted instead of the JDK's (like {@code AWS_CA_BUNDLE}). */
        public Builder caBundle(Path pem) {
            this.caBundle = pem;
            return this;
        }

        /** The 4-part version reported to the service and agent (SPEC §8.6). */
        public Builder clientVersion(String version) {
            this.clientVersion = Objects.requireNonNull(version, "version");
            return this;
        }

        /** How long to keep trying to re-establish a lost data channel before failing the session. */
        public Builder reconnectDeadline(Duration deadline) {
            if (deadline.isNegative() || deadline.isZero()) {
                throw new IllegalArgumentException("reconnectDeadline must be positive, got " + deadline);
            }
            this.reconnectDeadline = deadline;
            return this;
        }

        /** Largest WebSocket frame accepted from the service. */
        public Builder maxFrameSize(int bytes) {
            if (bytes < ClientMessageCodec.FRAME_OVERHEAD + 1) {
                throw new IllegalArgumentException("maxFrameSize too small: " + bytes);
            }
            this.maxFrameSize = bytes;
            return this;
        }

        /**
         * Whether the WebSocket upgrade is SigV4-signed (SPEC §1.2). Default: yes, unless the
         * environment sets {@code SSM_PLUGIN_SKIP_CLIENT_CONFIGURE} (the plugin's switch). Presigned
         * StreamUrls are never signed again.
         */
        public Builder signUpgrade(boolean sign) {
            this.signUpgrade = sign;
            return this;
        }

        /** The environment to read instead of {@link System#getenv()} (read once, in {@link #build()}). */
        public Builder environment(Map<String, String> environment) {
            this.environment = environment;
            return this;
        }

        /**
         * Told about every session of this manager when its data channel is lost and being re-established,
         * back, or given up (see {@link ConnectionListener}); null for none.
         */
        public Builder connectionListener(ConnectionListener listener) {
            this.connectionListener = listener;
            return this;
        }

        /** Tuning of the reliability layer (chunk size, pacing, window, give-up); defaults follow SPEC §6. */
        public Builder dataChannelConfig(DataChannelConfig config) {
            this.channelConfig = Objects.requireNonNull(config, "config");
            return this;
        }

        /** Tests: the overall bound of {@link SessionManager#close()} on TerminateSession calls. */
        Builder closeTimeout(Duration timeout) {
            if (timeout.isNegative()) {
                throw new IllegalArgumentException("closeTimeout must not be negative, got " + timeout);
            }
            this.closeTimeout = timeout;
            return this;
        }

        public SessionManager build() {
            return new SessionManager(this);
        }

        Builder copy() {
            Builder b = new Builder();
            b.credentialsProvider = credentialsProvider;
            b.profile = profile;
            b.region = region;
            b.ssmEndpoint = ssmEndpoint;
            b.ssmMessagesEndpoint = ssmMessagesEndpoint;
            b.kmsEndpoint = kmsEndpoint;
            b.streamUrlHost = streamUrlHost;
            b.proxy = proxy;
            b.noProxy = noProxy;
            b.caBundle = caBundle;
            b.clientVersion = clientVersion;
            b.reconnectDeadline = reconnectDeadline;
            b.maxFrameSize = maxFrameSize;
            b.signUpgrade = signUpgrade;
            b.environment = environment == null ? null : Map.copyOf(environment);
            b.channelConfig = channelConfig;
            b.closeTimeout = closeTimeout;
            b.connectionListener = connectionListener;
            return b;
        }
    }
}
