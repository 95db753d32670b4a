package dev.ssmsession.testkit.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ssmsession.protocol.message.ClientMessage;
import dev.ssmsession.protocol.message.PayloadType;
import dev.ssmsession.protocol.payload.Payloads;
import java.io.IOException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent of one session: its data channel, its handshake (SPEC §4–§5 from the agent's side)
 * and the session plugin the document selects. Started when the client's first OpenDataChannel is
 * accepted; survives reconnects (only the wire underneath changes).
 */
public final class SimulatedAgent implements Agent, AgentOutput {
    private static final Logger LOG = LoggerFactory.getLogger(SimulatedAgent.class);
    private static final long DRAIN_WAIT_MS = 10_000;
    static final String ENCRYPTED_MESSAGE = "This session is encrypted using AWS KMS.";
    static final String UPDATE_PLUGIN_MESSAGE = "Please update session manager plugin version (minimum required version 1.2.312.0) "
            + "for fully support of separate StdOut/StdErr output.\r\n";

    private enum State { NEW, AWAIT_RESPONSE, AWAIT_CHALLENGE, RUNNING, ENDING, ENDED }

    private final AgentSettings settings;
    private final String sessionId;
    private final String target;
    private final SessionDocument document;
    private final Map<String, String> parameters;
    private final KmsApi kms;
    private final SecureRandom random;
    private final ScheduledExecutorService scheduler;
    private final Executor agentThread;
    private final LongSupplier clock;
    private final Consumer<String> onEnd;
    private final AgentChannel channel;

    private State state = State.NEW;
    private AgentPlugin plugin;
    private String clientVersion;
    private String kmsChallenge;
    private byte[] encChallenge;
    private AesGcmCipher cipher;
    private long handshakeStartNanos;
    private ScheduledFuture<?> timeout;
    private ScheduledFuture<?> ticker;

    public SimulatedAgent(AgentSettings settings, String sessionId, String target, SessionDocument document,
                          Map<String, String> parameters, KmsApi kms, SecureRandom random,
                          ScheduledExecutorService scheduler, Executor agentThread, LongSupplier clock,
                          Consumer<byte[]> wire,
                          Consumer<String> onEnd) {
        this.settings = settings;
        this.sessionId = sessionId;
        this.target = target;
        this.document = document;
        this.parameters = parameters;
        this.kms = kms;
        this.random = random;
        this.scheduler = scheduler;
        this.agentThread = agentThread;
        this.clock = clock;
        this.onEnd = onEnd;
        this.channel = new AgentChannel(wire, clock, () -> new UUID(random.nextLong(), random.nextLong()),
                this::onDelivered, AgentChannel.DEFAULT_WINDOW);
    }

    private boolean encrypted() {
        return settings.kmsKeyId() != null && !"Port".equals(document.sessionType());
    }

    @Override
    public synchronized void start() {
        if (state != State.NEW) {
            return;
        }
        ticker = scheduler.scheduleWithFixedDelay(channel::tick, 100, 100, TimeUnit.MILLISECONDS);
        if (document.requiresHandshake() || encrypted()) {
            state = State.AWAIT_RESPONSE;
            handshakeStartNanos = System.nanoTime();
            send(PayloadType.HANDSHAKE_REQUEST, handshakeRequest());
            armTimeout("Handshake timed out. Please ensure that you have the latest version of the session manager plugin.");
        } else {
            startPlugin();
        }
    }

    @Override
    public void onFrame(ClientMessage m) {
        channel.onFrame(m);
    }

    /** Called by the service when the client sent pause/start publication on the agent's behalf. */
    public AgentChannel channel() {
        return channel;
    }

    private byte[] handshakeRequest() {
        ObjectNode req = Payloads.mapper().createObjectNode();
        req.put("AgentVersion", settings.agentVersion());
        ArrayNode actions = req.putArray("RequestedClientActions");
        ObjectNode type = actions.addObject();
        type.put("ActionType", "SessionType");
        ObjectNode tp = type.putObject("ActionParameters");
        tp.put("SessionType", document.sessionType());
        if ("Port".equals(document.sessionType())) {
            ObjectNode props = tp.putObject("Properties");
            document.portProperties(parameters).forEach(props::put);
        } else {
            tp.putNull("Properties");
        }
        if (encrypted()) {
            byte[] c = new byte[16];
            random.nextBytes(c);
            kmsChallenge = Base64.getEncoder().encodeToString(c);
            ObjectNode kmsAction = actions.addObject();
            kmsAction.put("ActionType", "KMSEncryption");
            ObjectNode kp = kmsAction.putObject("ActionParameters");
            kp.put("KMSKeyId", settings.kmsKeyId());
            kp.put("Challenge", kmsChallenge);
        }
        return Payloads.toJson(req);
    }

    private void onDelivered(AgentChannel.Delivered d) {
        AgentPlugin p;
        synchronized (this) {
            switch (state) {
                case AWAIT_RESPONSE -> {
                    if (d.payloadType() == PayloadType.HANDSHAKE_RESPONSE.wire()) {
                        onHandshakeResponse(d.payload());
                    } else {
                        LOG.info("session {}: payload type {} before the handshake response, ignored", sessionId, d.payloadType());
                    }
                    return;
                }
                case AWAIT_CHALLENGE -> {
                    if (d.payloadType() == PayloadType.ENC_CHALLENGE_RESPONSE.wire()) {
                        onChallengeResponse(d.payload());
                    } else {
                        LOG.info("session {}: payload type {} before the challenge response, ignored", sessionId, d.payloadType());
                    }
                    return;
                }
                case RUNNING -> p = plugin;
                default -> {
                    return;
                }
            }
        }
        p.onInput(d.payloadType(), d.payload());
    }

    private void onHandshakeResponse(byte[] json) {
        JsonNode resp;
        try {
            resp = Payloads.mapper().readTree(json);
        } catch (IOException e) {
            fail("Handshake response is not valid JSON");
            return;
        }
        clientVersion = resp.path("ClientVersion").asText(null);
        byte[] dataKey = null;
        for (JsonNode action : resp.path("ProcessedClientActions")) {
            String type = action.path("ActionType").asText();
            int status = action.path("ActionStatus").asInt(0);
            if (status != 1) {
                fail("Handshake failed: action " + type + " has status " + status + ": " + action.path("Error").asText(""));
                return;
            }
            if ("KMSEncryption".equals(type)) {
                dataKey = decryptDataKey(action.path("ActionResult"));
                if (dataKey == null) {
                    return;
                }
            }
        }
        if (encrypted()) {
            if (dataKey == null) {
                fail("Handshake failed: the client did not process the KMSEncryption action");
                return;
            }
            AesGcmCipher cipher = AesGcmCipher.forAgent(dataKey, random);
            channel.enableEncryption(cipher);
            encChallenge = new byte[64];
            random.nextBytes(encChallenge);
            ObjectNode c = Payloads.mapper().createObjectNode();
            c.put("Challenge", Base64.getEncoder().encodeToString(cipher.encrypt(encChallenge)));
            state = State.AWAIT_CHALLENGE;
            this.cipher = cipher;
            send(PayloadType.ENC_CHALLENGE_REQUEST, Payloads.toJson(c));
            armTimeout("Encryption challenge timed out.");
            return;
        }
        completeHandshake();
    }

    private byte[] decryptDataKey(JsonNode result) {
        String blobText = result.path("KMSCipherTextKey").asText(null);
        if (blobText == null) {
            fail("Handshake failed: KMSEncryption result carries no KMSCipherTextKey");
            return null;
        }
        boolean acknowledged = result.path("ChallengeAcknowledgement").asBoolean(false);
        if (!acknowledged && settings.requireChallengeAck()) {
            fail("Handshake failed: the client did not acknowledge the KMS challenge");
            return null;
        }
        Map<String, String> context = new LinkedHashMap<>();
        context.put("aws:ssm:SessionId", sessionId);
        context.put("aws:ssm:TargetId", target);
        if (acknowledged) {
            context.put("aws:ssm:RandomChallenge", kmsChallenge);
        }
        try {
            byte[] key = kms.open(Base64.getDecoder().decode(blobText), context);
            if (key.length != 64) {
                fail("Handshake failed: data key is " + key.length + " bytes, not 64");
                return null;
            }
            return key;
        } catch (AwsError e) {
            fail("Handshake failed: KMS Decrypt: " + e.type() + ": " + e.getMessage());
            return null;
        } catch (IllegalArgumentException e) {
            fail("Handshake failed: KMSCipherTextKey is not base64");
            return null;
        }
    }

    private void onChallengeResponse(byte[] json) {
        try {
            JsonNode resp = Payloads.mapper().readTree(json);
            byte[] echoed = cipher.decrypt(Base64.getDecoder().decode(resp.path("Challenge").asText("")));
            if (!java.security.MessageDigest.isEqual(echoed, encChallenge)) {
                fail("Encryption challenge mismatch");
                return;
            }
        } catch (IOException | RuntimeException e) {
            fail("Encryption challenge response rejected: " + e.getMessage());
            return;
        }
        completeHandshake();
    }

    private void completeHandshake() {
        cancelTimeout();
        ObjectNode done = Payloads.mapper().createObjectNode();
        done.put("HandshakeTimeToComplete", System.nanoTime() - handshakeStartNanos);
        done.put("CustomerMessage", customerMessage());
        send(PayloadType.HANDSHAKE_COMPLETE, Payloads.toJson(done));
        startPlugin();
    }

    /** SPEC §4.4/§8.6: the KMS notice, and the upgrade hint for old clients of separated output. */
    private String customerMessage() {
        StringBuilder m = new StringBuilder();
        if (encrypted()) {
            m.append(ENCRYPTED_MESSAGE);
        }
        if (document == SessionDocument.NON_INTERACTIVE_COMMAND && clientVersion != null
                && !Versions.greaterThan(clientVersion, "1.2.295")) {
            m.append(UPDATE_PLUGIN_MESSAGE);
        }
        return m.toString();
    }

    private void startPlugin() {
        AgentPlugin p = createPlugin();
        try {
            p.start();
            plugin = p;
            state = State.RUNNING;
        } catch (IOException | RuntimeException e) {
            LOG.warn("session {}: cannot start {}", sessionId, document.sessionType(), e);
            plugin = p;
            state = State.RUNNING;
            end("Failed to start " + document.sessionType() + " session: " + e.getMessage());
        }
    }

    private AgentPlugin createPlugin() {
        var dir = settings.workingDirectory();
        return switch (document) {
            case RUN_SHELL -> new PtyShellPlugin(settings.shell(), null, dir, sessionId, this);
            case INTERACTIVE_COMMAND -> new PtyShellPlugin(settings.shell(), parameters.get("command"), dir, sessionId, this);
            case NON_INTERACTIVE_COMMAND -> new CommandPlugin(parameters.get("command"), dir, sessionId, this);
            case PORT_FORWARDING, PORT_FORWARDING_REMOTE_HOST, PORT_FORWARDING_UNIX_SOCKET, SSH -> portPlugin();
        };
    }

    private AgentPlugin portPlugin() {
        Map<String, String> props = document.portProperties(parameters);
        PortTarget dest = new PortTarget(props.get("host"), Integer.parseInt(props.get("portNumber")));
        boolean lpf = "LocalPortForwarding".equals(props.get("type"));
        // SPEC §8.2/§8.6: smux iff LocalPortForwarding and ClientVersion >= 1.1.70, on an agent new
        // enough to speak it (the client requires AgentVersion > 3.0.196.0 for the same decision).
        boolean mux = lpf && Versions.atLeast(clientVersion, "1.1.70")
                && Versions.greaterThan(settings.agentVersion(), "3.0.196.0");
        if (mux) {
            boolean keepalive = !Versions.greaterThan(clientVersion, "1.2.331.0");
            return new MuxPortPlugin(dest, keepalive, scheduler, sessionId, this);
        }
        return new BasicPortPlugin(dest, !lpf, sessionId, this);
    }

    private void armTimeout(String reason) {
        cancelTimeout();
        // The check takes this agent's lock, which a handshake step on the agent's thread may hold
        // for a while (a dial): wait for it there, never on the scheduler every session shares.
        timeout = scheduler.schedule(() -> agentThread.execute(() -> {
            synchronized (this) {
                if (state == State.AWAIT_RESPONSE || state == State.AWAIT_CHALLENGE) {
                    fail(reason);
                }
            }
        }), settings.handshakeTimeout().toMillis(), TimeUnit.MILLISECONDS);
    }

    private void cancelTimeout() {
        if (timeout != null) {
            timeout.cancel(false);
        }
    }

    private void fail(String reason) {
        LOG.info("session {}: {}", sessionId, reason);
        cancelTimeout();
        end(reason);
    }

    @Override
    public void send(PayloadType type, byte[] payload) {
        channel.send(type, payload);
    }

    @Override
    public void end(String reason) {
        synchronized (this) {
            if (state == State.ENDING || state == State.ENDED) {
                return;
            }
            state = State.ENDING;
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(DRAIN_WAIT_MS);
        waitForDrain(reason, deadline);
    }

    /** The session ends once the client has everything (or the wait is over), then channel_closed. */
    private void waitForDrain(String reason, long deadline) {
        if (channel.drained() || System.nanoTime() - deadline > 0) {
            finish(reason);
        } else {
            scheduler.schedule(() -> waitForDrain(reason, deadline), 20, TimeUnit.MILLISECONDS);
        }
    }

    private void finish(String reason) {
        synchronized (this) {
            if (state == State.ENDED) {
                return;
            }
            state = State.ENDED;
        }
        stop();
        onEnd.accept(reason);
    }

    /** Stops the plugin and the channel now (TerminateSession, testkit close). */
    @Override
    public void stop() {
        AgentPlugin p;
        synchronized (this) {
            state = State.ENDED;
            p = plugin;
            cancelTimeout();
            if (ticker != null) {
                ticker.cancel(false);
            }
        }
        channel.close();
        if (p != null) {
            p.stop();
        }
    }

    @Override
    public synchronized String clientVersion() {
        return clientVersion;
    }
}
