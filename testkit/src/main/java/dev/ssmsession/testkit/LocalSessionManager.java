package dev.ssmsession.testkit;

import dev.ssmsession.testkit.internal.AgentSettings;
import dev.ssmsession.testkit.internal.FrameRelay;
import dev.ssmsession.testkit.internal.LocalService;
import dev.ssmsession.testkit.internal.ServiceConfig;
import dev.ssmsession.testkit.internal.ServiceSession;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * An in-process Session Manager on loopback: the SSM and KMS JSON APIs, the ssmmessages
 * WebSocket and a simulated agent per target, for tests and demos with no AWS account.
 *
 * <pre>{@code
 * try (LocalSessionManager local = LocalSessionManager.builder().build().start()) {
 *     SsmClient ssm = SsmClient.builder().endpointOverride(local.ssmEndpoint())
 *             .region(Region.of(local.region())).credentialsProvider(...local.credentials()...).build();
 *     StartSessionResponse r = ssm.startSession(b -> b.target(local.defaultTarget()));
 *     // open r.streamUrl() and speak the data-channel protocol
 * }
 * }</pre>
 */
public final class LocalSessionManager implements AutoCloseable {
    /** The target every testkit has unless told otherwise. */
    public static final String DEFAULT_TARGET = "i-0123456789abcdef0";
    /** Messages per second per direction the real service lets through, and the default cap here. */
    public static final int SERVICE_RATE_LIMIT = 1000;
    /** The AgentVersion reported unless told otherwise (new enough for every client feature). */
    public static final String DEFAULT_AGENT_VERSION = "3.3.987.0";

    private static final TestkitCredentials CREDENTIALS = new TestkitCredentials(
            "AKIATESTKITLOCAL0001", "testkit/secret/key/not/valid/anywhere000", "testkit-session-token");

    private final Builder builder;
    private LocalService service;

    private LocalSessionManager(Builder builder) {
        this.builder = builder;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Starts a testkit with every default: one online target, no encryption, the service's rate cap. */
    public static LocalSessionManager startDefault() {
        return builder().build().start();
    }

    /**
     * Binds ephemeral loopback ports and starts serving.
     *
     * @throws UncheckedIOException if a port cannot be bound
     * @throws IllegalStateException if already started
     */
    public synchronized LocalSessionManager start() {
        if (service != null) {
            throw new IllegalStateException("already started");
        }
        try {
            service = new LocalService(builder.config());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the local Session Manager", e);
        }
        return this;
    }

    private synchronized LocalService service() {
        if (service == null) {
            throw new IllegalStateException("not started: call start() first");
        }
        return service;
    }

    /** The SSM API endpoint, for {@code endpointOverride} or {@code AWS_ENDPOINT_URL_SSM}. */
    public URI ssmEndpoint() {
        return URI.create("http://127.0.0.1:" + service().apiPort());
    }

    /**
     * The EC2, IAM and STS endpoint when the testkit has an {@link Builder#account account}: the same port, told
     * apart from the JSON APIs by their form-encoded bodies and from each other by {@code Action}; works as
     * {@code AWS_ENDPOINT_URL} for every service.
     */
    public URI accountEndpoint() {
        return ssmEndpoint();
    }

    /** The KMS API endpoint (the same port; operations are told apart by {@code X-Amz-Target}). */
    public URI kmsEndpoint() {
        return ssmEndpoint();
    }

    /** {@code ws://127.0.0.1:<port>}: StreamUrls are this plus {@code /v1/data-channel/<id>?role=publish_subscribe}. */
    public URI streamUrlBase() {
        return URI.create("ws://127.0.0.1:" + service().dataChannelPort());
    }

    public String region() {
        return builder.region;
    }

    /**
     * Fake credentials to configure clients with (with their session token: they are temporary ones). Every
     * SSM and KMS API call must be SigV4-signed with these or with {@link #issueCredentials()}, or it is
     * refused as AWS would refuse it ({@code UnrecognizedClientException}, {@code InvalidSignatureException},
     * ...); see {@link Builder#acceptUnsignedApiCalls}.
     */
    public TestkitCredentials credentials() {
        return CREDENTIALS;
    }

    /**
     * Mints another set of temporary credentials that this testkit accepts from now on, as an STS refresh
     * does: a new access key id, secret and session token. For tests of credential rotation.
     */
    public TestkitCredentials issueCredentials() {
        return service().issueCredentials();
    }

    public String defaultTarget() {
        return builder.targets.keySet().iterator().next();
    }

    /** The ARN of the testkit's KMS master key (also reachable as {@code alias/testkit}). */
    public String kmsKeyArn() {
        return service().kms().keyArn();
    }

    public List<SessionView> sessions() {
        List<SessionView> out = new ArrayList<>();
        for (ServiceSession s : service().sessions()) {
            out.add(view(s));
        }
        return out;
    }

    public Optional<SessionView> session(String sessionId) {
        ServiceSession s = service().session(sessionId);
        return s == null ? Optional.empty() : Optional.of(view(s));
    }

    private static SessionView view(ServiceSession s) {
        List<SessionView.Upgrade> ups = new ArrayList<>();
        for (ServiceSession.UpgradeInfo u : s.upgrades()) {
            ups.add(new SessionView.Upgrade(u.authorization() != null, u.signatureProblem() == null,
                    u.signatureProblem(), u.securityToken() != null, u.amzDate(), u.accepted()));
        }
        return new SessionView(s.id(), s.target(), s.document().documentName(), s.parameters(), s.status().name(),
                s.connections(), s.closeReason(), ups, s.agent().clientVersion(), s.rejectedFrames());
    }

    /**
     * How the client of a replayed session did so far.
     *
     * @throws IllegalStateException if this testkit does not replay a transcript
     */
    public ReplayResult replayResult(String sessionId) {
        if (!(require(sessionId).agent() instanceof dev.ssmsession.testkit.internal.ScriptedAgent scripted)) {
            throw new IllegalStateException("this testkit runs the simulated agent, not a transcript replay");
        }
        return scripted.result();
    }

    /** Sends {@code pause_publication} to the client of a session. */
    public void pausePublication(String sessionId) {
        require(sessionId).publicationControl(true);
    }

    /** Sends {@code start_publication} to the client of a session. */
    public void startPublication(String sessionId) {
        require(sessionId).publicationControl(false);
    }

    /** Ends a session from the service side: {@code channel_closed} with {@code reason} as its Output. */
    public void closeChannel(String sessionId, String reason) {
        require(sessionId).closeChannel(Objects.requireNonNull(reason, "reason"));
    }

    /** Cuts the client's WebSocket abruptly (no close frame), as a network failure would. */
    public void cutConnection(String sessionId) {
        require(sessionId).cut();
    }

    private ServiceSession require(String sessionId) {
        ServiceSession s = service().session(sessionId);
        if (s == null) {
            throw new IllegalArgumentException("no session " + sessionId);
        }
        return s;
    }

    @Override
    public synchronized void close() {
        if (service != null) {
            service.close();
        }
    }

    /** Configuration; every setting has a default that suits a unit test. */
    public static final class Builder {
        private String region = "us-east-1";
        private final Map<String, Boolean> targets = new LinkedHashMap<>();
        private final Map<String, String> targetNames = new LinkedHashMap<>();
        private String agentVersion = DEFAULT_AGENT_VERSION;
        private boolean kmsEncryption;
        private String kmsKeyId;
        private boolean requireChallengeAck;
        private String shell = defaultShell();
        private Path workingDirectory = Path.of(System.getProperty("user.home", "/"));
        private Duration handshakeTimeout = Duration.ofSeconds(15);
        private boolean requireSigV4;
        private boolean acceptUnsignedApiCalls;
        private int rateLimit = SERVICE_RATE_LIMIT;
        private Duration idleTimeout;
        private int maxFrameSize = 1 << 20;
        private long seed = 1;
        private FaultPlan faults;
        private java.util.function.Function<dev.ssmsession.testkit.internal.ServiceSession, FrameRelay> relay;
        private Path transcriptDirectory;
        private Transcript replay;
        private Account account;

        private Builder() {
        }

        public Builder region(String region) {
            this.region = Objects.requireNonNull(region, "region");
            return this;
        }

        /** Adds an online target (instance id or any target string); the first one is the default. */
        public Builder target(String targetId) {
            targets.put(Objects.requireNonNull(targetId, "targetId"), true);
            return this;
        }

        /**
         * Adds an online target (the first one is the default) whose DescribeInstanceInformation entry carries
         * {@code name} as its {@code Name}, as a named managed node's does.
         */
        public Builder target(String targetId, String name) {
            target(targetId);
            targetNames.put(targetId, Objects.requireNonNull(name, "name"));
            return this;
        }

        /** Adds a target that exists but is offline: StartSession answers TargetNotConnected. */
        public Builder offlineTarget(String targetId) {
            targets.put(Objects.requireNonNull(targetId, "targetId"), false);
            return this;
        }

        /** The AgentVersion the agent reports; old versions switch clients to basic port forwarding. */
        public Builder agentVersion(String agentVersion) {
            this.agentVersion = Objects.requireNonNull(agentVersion, "agentVersion");
            return this;
        }

        /** Encrypt shell-family sessions with the testkit's KMS key, as the account preference does. */
        public Builder kmsEncryption(boolean on) {
            this.kmsEncryption = on;
            return this;
        }

        /** The KMSKeyId the agent asks for (default: the testkit key's ARN). Implies encryption. */
        public Builder kmsKeyId(String keyId) {
            this.kmsKeyId = Objects.requireNonNull(keyId, "keyId");
            this.kmsEncryption = true;
            return this;
        }

        /** Refuse clients that do not acknowledge {@code aws:ssm:RandomChallenge} (agent {@code RequireKMSChallengeResponse}). */
        public Builder requireKmsChallengeAck(boolean on) {
            this.requireChallengeAck = on;
            return this;
        }

        public Builder shell(String shell) {
            this.shell = Objects.requireNonNull(shell, "shell");
            return this;
        }

        public Builder workingDirectory(Path dir) {
            this.workingDirectory = Objects.requireNonNull(dir, "dir");
            return this;
        }

        public Builder handshakeTimeout(Duration timeout) {
            this.handshakeTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /**
         * Refuse WebSocket upgrades that do not carry a valid SigV4 signature for {@code ssmmessages}
         * made with {@link #credentials()} (signatures are always checked and recorded either way).
         */
        public Builder requireSigV4(boolean on) {
            this.requireSigV4 = on;
            return this;
        }

        /**
         * Serve SSM and KMS API calls that carry no {@code Authorization} header at all, for tools that cannot
         * sign (curl, a hand-written HTTP client). Off by default: such calls get {@code
         * MissingAuthenticationTokenException}, as from AWS. Calls that are signed are verified either way, so a
         * wrong key or a bad signature is still refused.
         */
        public Builder acceptUnsignedApiCalls(boolean on) {
            this.acceptUnsignedApiCalls = on;
            return this;
        }

        /** Cap messages per second in each direction (default {@value #SERVICE_RATE_LIMIT}, as the real service); 0 for none. */
        public Builder rateLimit(int messagesPerSecond) {
            if (messagesPerSecond < 0) {
                throw new IllegalArgumentException("rate " + messagesPerSecond + " is negative");
            }
            this.rateLimit = messagesPerSecond;
            return this;
        }

        /** No rate cap at all: as fast as loopback goes. */
        public Builder noRateLimit() {
            return rateLimit(0);
        }

        /** End sessions with no client input for this long, with the service's inactivity reason. */
        public Builder idleTimeout(Duration timeout) {
            this.idleTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /** Largest WebSocket frame and ClientMessage accepted; larger ones close the connection (1009). */
        public Builder maxFrameSize(int bytes) {
            if (bytes < 121) {
                throw new IllegalArgumentException("maxFrameSize " + bytes + " cannot hold a message");
            }
            this.maxFrameSize = bytes;
            return this;
        }

        /** Seed for fault injection. */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Inject faults into every session's relay. */
        public Builder faults(FaultPlan plan) {
            this.faults = Objects.requireNonNull(plan, "plan");
            return this;
        }

        /** Write a JSON-lines transcript of every session's frames into this directory. */
        public Builder transcriptDirectory(Path dir) {
            this.transcriptDirectory = Objects.requireNonNull(dir, "dir");
            return this;
        }

        /**
         * Serve every session with a scripted agent that replays {@code transcript} and checks what the
         * client sends against it (see {@link LocalSessionManager#replayResult}). StartSession must name
         * the transcript's document.
         */
        public Builder replay(Transcript transcript) {
            this.replay = Objects.requireNonNull(transcript, "transcript");
            return this;
        }

        /**
         * Serve EC2, IAM and STS (AWS Query protocol, on the API port) from this account, and the SSM calls about it
         * ({@code GetDocument} for the session preferences, {@code GetServiceSetting} for Default Host Management);
         * SSM calls are then also checked against the account's caller permissions.
         */
        public Builder account(Account account) {
            this.account = Objects.requireNonNull(account, "account");
            return this;
        }

        public LocalSessionManager build() {
            if (targets.isEmpty()) {
                targets.put(DEFAULT_TARGET, true);
            }
            return new LocalSessionManager(this);
        }

        /** Tests of the testkit itself: a relay of their own per session, instead of a {@link FaultPlan}. */
        Builder relay(java.util.function.Function<dev.ssmsession.testkit.internal.ServiceSession, FrameRelay> factory) {
            this.relay = factory;
            return this;
        }

        ServiceConfig config() {
            String keyId = kmsEncryption ? (kmsKeyId != null ? kmsKeyId : "alias/testkit") : null;
            AgentSettings agent = new AgentSettings(agentVersion, keyId, requireChallengeAck, shell,
                    workingDirectory, handshakeTimeout);
            FaultPlan plan = faults;
            long s = seed;
            return new ServiceConfig(region, "123456789012", CREDENTIALS.accessKeyId(), CREDENTIALS.secretAccessKey(),
                    CREDENTIALS.sessionToken(), Map.copyOf(targets), agent, requireSigV4, acceptUnsignedApiCalls, rateLimit,
                    idleTimeout, maxFrameSize, seed,
                    relay != null ? relay
                            : plan == null ? session -> FrameRelay.PASS_THROUGH : session -> plan.relay(session, s),
                    transcriptDirectory, replay, Map.copyOf(targetNames), account);
        }

        private static String defaultShell() {
            return java.nio.file.Files.isExecutable(Path.of("/bin/bash")) ? "/bin/bash" : "/bin/sh";
        }
    }
}
