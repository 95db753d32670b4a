package dev.ssmsession.testkit.internal;

import dev.ssmsession.protocol.message.ClientMessage;
import dev.ssmsession.protocol.message.ClientMessageCodec;
import dev.ssmsession.protocol.message.MalformedMessageException;
import dev.ssmsession.protocol.message.MessageType;
import dev.ssmsession.protocol.message.PayloadType;
import dev.ssmsession.protocol.payload.ChannelClosed;
import dev.ssmsession.protocol.payload.Payloads;
import dev.ssmsession.testkit.FrameDirection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.java_websocket.WebSocket;
import org.java_websocket.framing.CloseFrame;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One session as the service sees it: its current token, the WebSocket the client is attached to
 * (replaced on reconnect), the agent, and the relay between them with the rate cap, fault
 * injection and transcript recording.
 */
public final class ServiceSession implements FaultRelay.Target {
    private static final Logger LOG = LoggerFactory.getLogger(ServiceSession.class);

    public enum Status { CREATED, CONNECTED, DISCONNECTED, TERMINATED }


    private static final long CLOSE_GRACE_MS = 500;

    private final String id;
    private final String target;
    private final SessionDocument document;
    private final Map<String, String> parameters;
    private final String reason;
    private final ClientMessageCodec codec;
    private final LocalService service;
    private final Agent agent;
    private final TranscriptRecorder recorder;
    private final Pacer toClient;
    private final Pacer toAgent;
    private final FrameRelay relay;
    /**
     * The agent's own thread: it starts the plugin and receives the client's input, so a plugin that
     * blocks (a dial, a full PTY or socket, a signal) holds up only this session, never the
     * WebSocket worker or the shared scheduler that every session relies on.
     */
    private final ExecutorService agentThread;
    private final List<UpgradeInfo> upgrades = new CopyOnWriteArrayList<>();
    private final AtomicLong rejectedFrames = new AtomicLong();
    private final AtomicLong framesFromClient = new AtomicLong();
    private final AtomicLong framesToClient = new AtomicLong();

    private String token;
    private WebSocket conn;
    private Status status = Status.CREATED;
    private String closeReason;
    private volatile long lastInputNanos = System.nanoTime();
    private int connections;

    /** What the upgrade request carried, recorded for tests; never the header values themselves in toString. */
    public record UpgradeInfo(String authorization, String amzDate, String securityToken, String signatureProblem,
                              boolean accepted) {
        @Override
        public String toString() {
            return "UpgradeInfo[authorization=" + (authorization == null ? "absent" : "present")
                    + ", amzDate=" + amzDate + ", securityToken=" + (securityToken == null ? "absent" : "present")
                    + ", signature=" + (signatureProblem == null ? "valid" : signatureProblem)
                    + ", accepted=" + accepted + "]";
        }
    }

    ServiceSession(LocalService service, String id, String target, SessionDocument document,
                   Map<String, String> parameters, String reason, String token,
                   Function<ServiceSession, FrameRelay> relayFactory) {
        this.service = service;
        this.id = id;
        this.target = target;
        this.document = document;
        this.parameters = Map.copyOf(parameters);
        this.reason = reason;
        this.token = token;
        this.codec = ClientMessageCodec.withMaxFrameSize(service.maxFrameSize());
        this.agentThread = Executors.newSingleThreadExecutor(Threads.daemon("testkit-agent-" + id));
        this.toClient = new Pacer(service.rateLimit(), Pacer.Scheduler.of(service.scheduler()), System::nanoTime, this::writeToClient);
        this.toAgent = new Pacer(service.rateLimit(), Pacer.Scheduler.of(service.scheduler()), System::nanoTime, this::deliverToAgent);
        this.relay = relayFactory.apply(this);
        java.util.function.Consumer<byte[]> agentWire = frame -> relay.forward(FrameDirection.AGENT_TO_CLIENT, frame, toClient::submit);
        if (service.config().replay() != null) {
            this.agent = new ScriptedAgent(service.config().replay(), agentWire, System::currentTimeMillis, this::agentEnded);
        } else {
            this.agent = new SimulatedAgent(service.agentSettings(), id, target, document, parameters, service.kms(),
                    service.random(), service.scheduler(), agentThread, System::currentTimeMillis, agentWire, this::agentEnded);
        }
        this.recorder = openRecorder(service, id, target, document, parameters);
    }

    private static TranscriptRecorder openRecorder(LocalService service, String id, String target,
                                                   SessionDocument document, Map<String, String> parameters) {
        if (service.config().transcriptDir() == null) {
            return null;
        }
        boolean encrypted = service.agentSettings().kmsKeyId() != null && !"Port".equals(document.sessionType());
        try {
            return new TranscriptRecorder(service.config().transcriptDir(), id, new dev.ssmsession.testkit.Transcript.Header(
                    document.documentName(), target, parameters, service.agentSettings().agentVersion(), encrypted));
        } catch (java.io.IOException e) {
            LOG.warn("session {}: cannot record a transcript: {}", id, e.getMessage());
            return null;
        }
    }

    private void record(FrameDirection d, byte[] frame) {
        if (recorder != null) {
            recorder.record(d, frame);
        }
    }

    @Override
    public String id() {
        return id;
    }

    public String target() {
        return target;
    }

    public SessionDocument document() {
        return document;
    }

    public Map<String, String> parameters() {
        return parameters;
    }

    public String reason() {
        return reason;
    }

    public synchronized String token() {
        return token;
    }

    public synchronized Status status() {
        return status;
    }

    public synchronized String closeReason() {
        return closeReason;
    }

    public synchronized int connections() {
        return connections;
    }

    public List<UpgradeInfo> upgrades() {
        return List.copyOf(upgrades);
    }

    public long rejectedFrames() {
        return rejectedFrames.get();
    }

    public long framesFromClient() {
        return framesFromClient.get();
    }

    public long framesToClient() {
        return framesToClient.get();
    }

    public Agent agent() {
        return agent;
    }

    long lastInputNanos() {
        return lastInputNanos;
    }

    void recordUpgrade(UpgradeInfo info) {
        upgrades.add(info);
    }

    /** ResumeSession: a fresh token, the agent untouched; null once the session is over (SPEC §7.2). */
    synchronized String resume(String newToken) {
        if (status == Status.TERMINATED) {
            return null;
        }
        token = newToken;
        return token;
    }

    /** Called after a valid OpenDataChannel: the connection becomes the session's wire. */
    void attach(WebSocket ws) {
        WebSocket old;
        synchronized (this) {
            if (status == Status.TERMINATED) {
                ws.close(CloseFrame.NORMAL, "session " + id + " is terminated");
                return;
            }
            old = conn;
            conn = ws;
            status = Status.CONNECTED;
            connections++;
        }
        if (old != null && old != ws) {
            old.close(CloseFrame.NORMAL, "replaced by a new data channel connection");
        }
        relay.onAttach(ws);
        LOG.info("session {} attached (connection {})", id, connections());
        onAgentThread(agent::start);
    }

    /** Runs {@code task} on the agent's thread; a failure there ends this session only. */
    private void onAgentThread(Runnable task) {
        try {
            agentThread.execute(() -> {
                try {
                    task.run();
                } catch (RuntimeException | Error e) {
                    LOG.warn("session {}: the agent failed", id, e);
                    closeChannel("The testkit's agent failed: " + e);
                }
            });
        } catch (RejectedExecutionException e) {
            LOG.debug("session {} is over: input for the agent dropped", id);
        }
    }

    void detach(WebSocket ws) {
        synchronized (this) {
            if (conn != ws) {
                return;
            }
            conn = null;
            if (status == Status.CONNECTED) {
                status = Status.DISCONNECTED;
            }
        }
        LOG.info("session {} detached", id);
    }

    @Override
    public java.util.concurrent.ScheduledExecutorService scheduler() {
        return service.scheduler();
    }

    @Override
    public synchronized WebSocket connection() {
        return conn;
    }

    /** A binary frame from the client: decode, validate, then relay to the agent. */
    void onBinary(byte[] frame) {
        record(FrameDirection.CLIENT_TO_AGENT, frame);
        ClientMessage m;
        try {
            m = codec.decode(frame);
        } catch (MalformedMessageException e) {
            rejectedFrames.incrementAndGet();
            LOG.info("session {}: dropped a malformed frame from the client: {}", id, e.getMessage());
            return;
        }
        framesFromClient.incrementAndGet();
        if (m.type().isEmpty()) {
            rejectedFrames.incrementAndGet();
            LOG.info("session {}: ignored unknown message type '{}'", id, m.messageType());
            return;
        }
        if (m.is(MessageType.INPUT_STREAM_DATA)) {
            lastInputNanos = System.nanoTime();
        }
        relay.forward(FrameDirection.CLIENT_TO_AGENT, frame, toAgent::submit);
    }

    private void deliverToAgent(byte[] frame) {
        ClientMessage m;
        try {
            m = codec.decode(frame);
        } catch (MalformedMessageException e) {
            // Only a fault injected on purpose (corrupt digest) gets here.
            LOG.info("session {}: agent dropped a corrupted frame: {}", id, e.getMessage());
            return;
        }
        if (m.is(MessageType.INPUT_STREAM_DATA)) {
            onAgentThread(() -> agent.onFrame(m));
        } else {
            // Acks and publication control are quick and must reach the agent even while its
            // thread is blocked delivering input (its output may be waiting for these acks).
            agent.onFrame(m);
        }
    }

    private void writeToClient(byte[] frame) {
        WebSocket ws = connection();
        if (ws == null || !ws.isOpen()) {
            // Not connected: lost, as on the real service; the agent's resend brings it back.
            return;
        }
        try {
            // Recorded before the send so that the transcript never shows the client's answer first.
            record(FrameDirection.AGENT_TO_CLIENT, frame);
            ws.send(frame);
            framesToClient.incrementAndGet();
            relay.afterSend(FrameDirection.AGENT_TO_CLIENT, frame);
        } catch (RuntimeException e) {
            LOG.debug("session {}: send to client failed: {}", id, e.getMessage());
        }
    }

    /** Sends a service control message straight to the client (not sequenced, not rate-capped). */
    void sendControl(MessageType type, byte[] payload) {
        ClientMessage m = new ClientMessage(type.wire(), 1, System.currentTimeMillis(), 0,
                ClientMessage.FLAG_SYN | ClientMessage.FLAG_FIN, UUID.randomUUID(), PayloadType.NONE.wire(), payload);
        writeToClient(codec.encode(m));
    }

    /** pause_publication / start_publication: tells the client (and the agent) to stop or resume. */
    public void publicationControl(boolean pause) {
        MessageType t = pause ? MessageType.PAUSE_PUBLICATION : MessageType.START_PUBLICATION;
        byte[] payload = Payloads.toJson(Map.of("MessageType", t.wire(), "SessionId", id));
        sendControl(t, payload);
    }

    private void agentEnded(String why) {
        closeChannel(why == null ? "" : why);
    }

    /** Ends the session: {@code channel_closed} with {@code output} as the reason, then close the socket. */
    public void closeChannel(String output) {
        WebSocket ws;
        synchronized (this) {
            if (status == Status.TERMINATED) {
                return;
            }
            status = Status.TERMINATED;
            closeReason = output;
            ws = conn;
        }
        agent.stop();
        agentThread.shutdown();
        toAgent.clear();
        ChannelClosed cc = new ChannelClosed(UUID.randomUUID().toString(), Long.toString(System.currentTimeMillis()),
                target, id, MessageType.CHANNEL_CLOSED.wire(), 1, output);
        if (ws != null && ws.isOpen()) {
            // channel_closed must not wait behind the rate cap or be subject to injected faults.
            ClientMessage m = new ClientMessage(MessageType.CHANNEL_CLOSED.wire(), 1, System.currentTimeMillis(), 0,
                    ClientMessage.FLAG_SYN | ClientMessage.FLAG_FIN, UUID.randomUUID(), PayloadType.NONE.wire(),
                    Payloads.toJson(cc));
            byte[] frame = codec.encode(m);
            // Flush what the rate cap still holds first, so the client loses nothing before the close.
            toClient.flushTo(this::writeToClient);
            writeToClient(frame);
            // Clients close on channel_closed themselves; give them a moment to ack what is in flight
            // before the service closes the socket.
            service.scheduler().schedule(() -> ws.close(CloseFrame.NORMAL, "session closed"),
                    CLOSE_GRACE_MS, java.util.concurrent.TimeUnit.MILLISECONDS);
        }
        if (recorder != null) {
            recorder.close();
        }
        LOG.info("session {} closed{}", id, output.isEmpty() ? "" : ": " + output);
        service.onSessionClosed(this);
    }

    /** The testkit is closing: stop the agent and finish the transcript, without a channel_closed. */
    void shutdown() {
        agent.stop();
        agentThread.shutdown();
        if (recorder != null) {
            recorder.close();
        }
    }

    /** Abruptly cuts the client's WebSocket (no close handshake), as a network failure would. */
    @Override
    public void cut() {
        WebSocket ws = connection();
        if (ws != null) {
            // Detach first: Java-WebSocket closes the socket before it calls onClose, so the client
            // could otherwise see the cut while the session still counts as connected.
            detach(ws);
            ws.closeConnection(CloseFrame.ABNORMAL_CLOSE, "connection cut by the testkit");
        }
    }
}
