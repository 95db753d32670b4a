package dev.ssmsession.client;

import dev.ssmsession.client.SessionException.Reason;
import dev.ssmsession.client.internal.CaBundle;
import dev.ssmsession.client.internal.ChannelSession;
import dev.ssmsession.client.internal.KmsDataKeyProvider;
import dev.ssmsession.client.internal.ProxySettings;
import dev.ssmsession.client.internal.SsmApi;
import dev.ssmsession.client.internal.TransportContext;
import dev.ssmsession.client.internal.UpgradeSigner;
import dev.ssmsession.client.internal.WebSocketConnection;
import dev.ssmsession.protocol.crypto.DataKeyProvider;
import dev.ssmsession.protocol.message.ClientMessageCodec;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.ProxyConfiguration;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.KmsClientBuilder;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.SsmClientBuilder;
import software.amazon.awssdk.utils.SdkAutoCloseable;

import javax.net.ssl.TrustManager;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * The entry point: AWS configuration (credentials, region, endpoints, proxy, CA bundle) resolved
 * once, plus the SDK clients, the process-wide ClientId and a scheduler shared by all sessions it
 * opens. Immutable and thread-safe; {@link #close()} releases the SDK clients and the scheduler.
 *
 * <p>Configuration follows the AWS CLI: values set on the builder win; otherwise the environment
 * ({@code AWS_PROFILE}, {@code AWS_REGION}/{@code AWS_DEFAULT_REGION}, {@code AWS_ENDPOINT_URL},
 * {@code AWS_ENDPOINT_URL_SSM}/{@code _SSMMESSAGES}/{@code _KMS}, {@code HTTPS_PROXY}/{@code NO_PROXY},
 * {@code AWS_CA_BUNDLE}); otherwise the SDK's default chains (profiles, SSO, IMDS…).
 */
public final class SessionManager implements AutoCloseable {
    /** Reported in OpenDataChannel and the handshake (SPEC §8.6); must be above 1.2.331.0. */
    public static final String DEFAULT_CLIENT_VERSION = "1.2.764.0";
    public static final Duration DEFAULT_RECONNECT_DEADLINE = Duration.ofMinutes(5);
    static final Duration PING_INTERVAL = Duration.ofMinutes(5);
    static final int CONNECT_TIMEOUT_MILLIS = 45_000;
    private static final Pattern VERSION = Pattern.compile("\\d+\\.\\d+\\.\\d+\\.\\d+");
    private static final AtomicInteger THREADS = new AtomicInteger();

    private final Builder config;
    private final Region region;
    private final AwsCredentialsProvider credentials;
    private final boolean ownsCredentials;
    private final Optional<URI> ssmEndpoint;
    private final Optional<URI> ssmMessagesEndpoint;
    private final Optional<URI> kmsEndpoint;
    private final Optional<ProxySettings> proxy;
    private final TrustManager[] trustManagers;
    private final SdkHttpClient http;
    private final SsmClient ssm;
    private final KmsClient kms;
    private final UUID clientId = UUID.randomUUID();
    private final java.util.Set<Session> open = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private volatile boolean closed;
    private final ScheduledExecutorService scheduler;
    private final java.util.concurrent.ExecutorService io;
    private final TransportContext transport;
    private final dev.ssmsession.protocol.channel.DataChannelConfig channelConfig;

    private SessionManager(Builder b) {
        this.config = b.copy();
        Map<String, String> env = b.environment != null ? Map.copyOf(b.environment) : System.getenv();
        String profile = b.profile != null ? b.profile : blankToNull(env.get("AWS_PROFILE"));
        this.region = resolveRegion(b.region, env, profile);
        if (b.credentialsProvider != null) {
            this.credentials = b.credentialsProvider;
            this.ownsCredentials = false;
        } else if (profile != null) {
            this.credentials = ProfileCredentialsProvider.builder().profileName(profile).build();
            this.ownsCredentials = true;
        } else {
            this.credentials = DefaultCredentialsProvider.builder().build();
            this.ownsCredentials = true;
        }
        Optional<URI> global = endpoint(null, env, "AWS_ENDPOINT_URL");
        this.ssmEndpoint = endpoint(b.ssmEndpoint, env, "AWS_ENDPOINT_URL_SSM").or(() -> global);
        this.ssmMessagesEndpoint = endpoint(b.ssmMessagesEndpoint, env, "AWS_ENDPOINT_URL_SSMMESSAGES");
        this.kmsEndpoint = endpoint(b.kmsEndpoint, env, "AWS_ENDPOINT_URL_KMS").or(() -> global);
        this.proxy = resolveProxy(b, env);
        Path caBundle = b.caBundle != null ? b.caBundle
                : Optional.ofNullable(blankToNull(env.get("AWS_CA_BUNDLE"))).map(Path::of).orElse(null);
        this.trustManagers = caBundle == null ? null : CaBundle.trustManagers(caBundle);
        if (!VERSION.matcher(b.clientVersion).matches()) {
            throw new SessionException(Reason.CONFIGURATION,
                    "clientVersion must have four numeric parts like 1.2.764.0, got " + b.clientVersion);
        }

        UrlConnectionHttpClient.Builder hb = UrlConnectionHttpClient.builder();
        ProxyConfiguration.Builder pc = ProxyConfiguration.builder()
                .useSystemPropertyValues(false).useEnvironmentVariablesValues(false);
        proxy.ifPresent(p -> {
            pc.endpoint(p.endpoint()).nonProxyHosts(p.nonProxyHostPatterns());
            p.userInfo().ifPresent(u -> {
                int colon = u.indexOf(':');
                pc.username(colon < 0 ? u : u.substring(0, colon));
                if (colon >= 0) {
                    pc.password(u.substring(colon + 1));
                }
            });
        });
        hb.proxyConfiguration(pc.build());
        if (trustManagers != null) {
            hb.tlsTrustManagersProvider(() -> trustManagers);
        }
        this.http = hb.build();
        SsmClientBuilder sb = SsmClient.builder().region(region).credentialsProvider(credentials).httpClient(http);
        ssmEndpoint.ifPresent(sb::endpointOverride);
        this.ssm = sb.build();
        KmsClientBuilder kb = KmsClient.builder().region(region).credentialsProvider(credentials).httpClient(http);
        kmsEndpoint.ifPresent(kb::endpointOverride);
        this.kms = kb.build();

        ScheduledThreadPoolExecutor ex = new ScheduledThreadPoolExecutor(2, r -> {
            Thread t = new Thread(r, "ssm-session-" + THREADS.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        ex.setRemoveOnCancelPolicy(true);
        this.scheduler = Executors.unconfigurableScheduledExecutorService(ex);
        this.io = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "ssm-session-io-" + THREADS.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.transport = new TransportContext(
                new WebSocketConnection.Settings(CaBundle.sslContext(trustManagers), proxy.orElse(null),
                        CONNECT_TIMEOUT_MILLIS, b.maxFrameSize),
                streamUrlRewrite(ssmMessagesEndpoint, b.streamUrlHost),
                credentials, region.id(), b.signUpgrade, new UpgradeSigner(Clock.systemUTC()),
                new SsmApi(ssm), clientId, b.clientVersion, b.reconnectDeadline, PING_INTERVAL, scheduler, io, System::nanoTime);
        this.channelConfig = b.channelConfig;
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
        return region;
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
        return new SsmApi(ssm).startSession(request);
    }

    /** Calls {@code TerminateSession}. */
    public void terminateSession(String sessionId) {
        new SsmApi(ssm).terminateSession(sessionId);
    }

    /**
     * Starts a session ({@code StartSession}) and opens its data channel. The returned session is
     * connected; its kind is known after the handshake ({@link Session#info()}).
     */
    public Session start(SessionRequest request) {
        SessionToken token = startSession(request);
        try {
            return open(token, request.target());
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
        if (closed) {
            throw new SessionException(Reason.CLOSED, "this SessionManager is closed");
        }
        Session s = new Session(ChannelSession.open(transport, token, target, kmsDataKeys(), channelConfig), io);
        open.add(s);
        s.ended().whenComplete((end, err) -> open.remove(s));
        return s;
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
        try (Session s = start(request)) {
            ShellSession c = s.command();
            java.util.concurrent.CompletableFuture<byte[]> err = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try {
                    return c.stderr().readAllBytes();
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }, io);
            byte[] out;
            try {
                out = c.stdout().readAllBytes();
            } catch (java.io.IOException e) {
                s.awaitEnd(timeout);  // throws the session's own failure if there is one
                throw new SessionException(Reason.PROTOCOL, "reading the output of session " + s.sessionId()
                        + " failed: " + e.getMessage(), e);
            }
            SessionEnd end = s.awaitEnd(timeout);
            byte[] errBytes = Session.await(err, timeout, "stderr");
            return new CommandResult(out, errBytes, end.exitCode());
        }
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
        Session s = start(SessionRequest.portForwarding(target, host, remotePort));
        try {
            return s.forwardPort(options);
        } catch (RuntimeException e) {
            s.close();
            throw e;
        }
    }

    /**
     * A connected socket to {@code host:port} as seen from {@code target}, through a new port
     * forwarding session; closing the socket ends that session.
     */
    public java.net.Socket openSocket(String target, String host, int port) throws java.io.IOException {
        Session s = start(SessionRequest.portForwarding(target, host, port));
        try {
            return s.socket(host == null ? target : host, port, s::close);
        } catch (java.io.IOException | RuntimeException e) {
            s.close();
            throw e;
        }
    }

    /**
     * A {@link javax.net.SocketFactory} whose sockets reach the host and port they are connected to
     * through {@code target} (e.g. a JDBC driver's database host). One port forwarding session per
     * distinct host:port, started on first use, multiplexing all sockets to it; closing the factory
     * ends the sessions.
     */
    public TunnelSocketFactory socketFactory(String target) {
        return new TunnelSocketFactory(this, target);
    }

    /** A {@link DataKeyProvider} backed by this manager's KMS client (SPEC §5.1). */
    public DataKeyProvider kmsDataKeys() {
        return new KmsDataKeyProvider(kms);
    }

    TransportContext transport() {
        return transport;
    }

    java.util.concurrent.ExecutorService io() {
        return io;
    }

    /**
     * Closes every session still open (TerminateSession each), then the SDK clients and threads.
     */
    @Override
    public void close() {
        closed = true;
        for (Session s : java.util.List.copyOf(open)) {
            s.close();
        }
        scheduler.shutdownNow();
        io.shutdownNow();
        ssm.close();
        kms.close();
        http.close();
        if (ownsCredentials && credentials instanceof SdkAutoCloseable c) {
            c.close();
        }
    }

    @Override
    public String toString() {
        return "SessionManager[region=" + region + ", profile=" + config.profile
                + ", ssmEndpoint=" + ssmEndpoint.orElse(null) + ", ssmMessagesEndpoint=" + ssmMessagesEndpoint.orElse(null)
                + ", kmsEndpoint=" + kmsEndpoint.orElse(null) + ", streamUrlHost=" + config.streamUrlHost
                + ", proxy=" + proxy.orElse(null) + ", customCaBundle=" + (trustManagers != null)
                + ", clientVersion=" + config.clientVersion + ", reconnectDeadline=" + config.reconnectDeadline + "]";
    }

    private static Region resolveRegion(String explicit, Map<String, String> env, String profile) {
        String r = explicit != null ? explicit
                : Optional.ofNullable(blankToNull(env.get("AWS_REGION"))).orElse(blankToNull(env.get("AWS_DEFAULT_REGION")));
        if (r == null) {
            try {
                return DefaultAwsRegionProviderChain.builder().profileName(profile).build().getRegion();
            } catch (SdkClientException e) {
                throw new SessionException(Reason.CONFIGURATION, "No AWS region: pass region(...), set AWS_REGION, "
                        + "or set region in the profile " + (profile == null ? "default" : profile) + " of ~/.aws/config", e);
            }
        }
        return Region.of(r.trim());
    }

    private static Optional<URI> endpoint(URI explicit, Map<String, String> env, String variable) {
        if (explicit != null) {
            return Optional.of(explicit);
        }
        String v = blankToNull(env.get(variable));
        if (v == null) {
            return Optional.empty();
        }
        try {
            URI u = URI.create(v.trim());
            if (u.getHost() == null || u.getScheme() == null) {
                throw new IllegalArgumentException("no scheme or host");
            }
            return Optional.of(u);
        } catch (IllegalArgumentException e) {
            throw new SessionException(Reason.CONFIGURATION, variable + " is not a valid URL (" + e.getMessage() + "): " + v);
        }
    }

    private static Optional<ProxySettings> resolveProxy(Builder b, Map<String, String> env) {
        String p = b.proxy != null ? b.proxy.toString()
                : Optional.ofNullable(blankToNull(env.get("HTTPS_PROXY"))).orElse(blankToNull(env.get("https_proxy")));
        if (p == null) {
            return Optional.empty();
        }
        String noProxy = b.noProxy != null ? b.noProxy
                : Optional.ofNullable(blankToNull(env.get("NO_PROXY"))).orElse(blankToNull(env.get("no_proxy")));
        try {
            return Optional.of(ProxySettings.of(p, noProxy));
        } catch (IllegalArgumentException e) {
            throw new SessionException(Reason.CONFIGURATION, e.getMessage());
        }
    }

    /**
     * ssmmessages endpoint override (VPC endpoint without private DNS): the StreamUrl the service
     * returns names the public host, so its scheme, host and port are replaced; the path and query
     * (session id, role) stay. A bare host override replaces only the host.
     */
    static UnaryOperator<URI> streamUrlRewrite(Optional<URI> endpoint, String host) {
        return url -> {
            URI u = url;
            if (endpoint.isPresent()) {
                URI e = endpoint.get();
                String scheme = e.getScheme().toLowerCase(Locale.ROOT);
                String ws = scheme.equals("http") || scheme.equals("ws") ? "ws" : "wss";
                u = URI.create(ws + "://" + e.getRawAuthority() + u.getRawPath()
                        + (u.getRawQuery() == null ? "" : "?" + u.getRawQuery()));
            }
            if (host != null) {
                u = URI.create(u.getScheme() + "://" + host + (u.getPort() == -1 ? "" : ":" + u.getPort()) + u.getRawPath()
                        + (u.getRawQuery() == null ? "" : "?" + u.getRawQuery()));
            }
            return u;
        };
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
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
        private boolean signUpgrade = true;
        private Map<String, String> environment;
        private dev.ssmsession.protocol.channel.DataChannelConfig channelConfig =
                dev.ssmsession.protocol.channel.DataChannelConfig.builder().build();

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

        /** {@code http://[user:password@]host:port}, for the SDK calls and the WebSocket CONNECT. */
        public Builder proxy(URI proxy) {
            this.proxy = proxy;
            return this;
        }

        /** Comma-separated hosts / domain suffixes that bypass the proxy ({@code NO_PROXY} syntax). */
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
         * Whether the WebSocket upgrade is SigV4-signed (default true; SPEC §1.2). Presigned
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

        /** Tuning of the reliability layer (chunk size, pacing, window, give-up); defaults follow SPEC §6. */
        public Builder dataChannelConfig(dev.ssmsession.protocol.channel.DataChannelConfig config) {
            this.channelConfig = Objects.requireNonNull(config, "config");
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
            return b;
        }
    }
}
