package dev.ssmsession.testkit.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ssmsession.protocol.message.ClientMessage;
import dev.ssmsession.protocol.message.ClientMessageCodec;
import dev.ssmsession.protocol.message.MalformedMessageException;
import dev.ssmsession.protocol.message.MessageType;
import dev.ssmsession.protocol.message.PayloadType;
import dev.ssmsession.protocol.payload.Acknowledge;
import dev.ssmsession.protocol.payload.Payloads;
import dev.ssmsession.testkit.ReplayResult;
import dev.ssmsession.testkit.Transcript;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An agent that replays a transcript: it sends the recorded agent frames in order, each one only
 * after the client data messages recorded before it have arrived, and checks every client data
 * message against the recording. It acks the client's data itself (recorded acks name the
 * recorded client's message ids) and sends each recorded agent data message once.
 *
 * <p>What is compared: MessageType, sequence number, PayloadType, and the payload bytes, except
 * where a correct client may differ: Output of an encrypted session and the challenge response
 * (ciphertext), the KMS ciphertext key and ClientVersion in a handshake response, the numbers in a
 * Size payload. The first mismatch ends the session with a channel_closed naming it.
 */
public final class ScriptedAgent implements Agent {
    private static final Logger LOG = LoggerFactory.getLogger(ScriptedAgent.class);

    private sealed interface Step permits Send, Expect, Close {
    }

    private record Send(byte[] frame) implements Step {
    }

    private record Expect(ClientMessage message) implements Step {
    }

    private record Close(String output) implements Step {
    }

    private final ClientMessageCodec codec = ClientMessageCodec.create();
    private final boolean encrypted;
    private final List<Step> steps = new ArrayList<>();
    private final Map<Long, ClientMessage> expectedBySeq = new HashMap<>();
    private final Set<Long> received = new HashSet<>();
    private final List<String> mismatches = new ArrayList<>();
    private final Consumer<byte[]> wire;
    private final Consumer<String> onEnd;
    private final LongSupplier clock;
    private int next;
    private boolean started;
    private boolean stopped;
    private String clientVersion;

    public ScriptedAgent(Transcript transcript, Consumer<byte[]> wire, LongSupplier clockMillis, Consumer<String> onEnd) {
        this.encrypted = transcript.header().encrypted();
        this.wire = wire;
        this.onEnd = onEnd;
        this.clock = clockMillis;
        Set<Long> agentSeqs = new HashSet<>();
        for (Transcript.Frame f : transcript.frames()) {
            ClientMessage m;
            try {
                m = codec.decode(f.bytes());
            } catch (MalformedMessageException e) {
                continue; // a malformed frame the recorded client sent: nothing to replay
            }
            if (f.direction() == Transcript.Direction.AGENT_TO_CLIENT) {
                if (m.is(MessageType.ACKNOWLEDGE)) {
                    continue;
                }
                if (m.is(MessageType.OUTPUT_STREAM_DATA) && !agentSeqs.add(m.sequenceNumber())) {
                    continue;
                }
                if (m.is(MessageType.CHANNEL_CLOSED)) {
                    steps.add(new Close(closeOutput(m)));
                } else {
                    steps.add(new Send(f.bytes()));
                }
            } else if (m.is(MessageType.INPUT_STREAM_DATA) && !expectedBySeq.containsKey(m.sequenceNumber())) {
                expectedBySeq.put(m.sequenceNumber(), m);
                steps.add(new Expect(m));
            }
        }
    }

    private static String closeOutput(ClientMessage m) {
        try {
            return Payloads.mapper().readTree(m.payload()).path("Output").asText("");
        } catch (IOException e) {
            return "";
        }
    }

    @Override
    public synchronized void start() {
        if (!started) {
            started = true;
            advance();
        }
    }

    @Override
    public synchronized void onFrame(ClientMessage m) {
        if (stopped || !m.is(MessageType.INPUT_STREAM_DATA)) {
            return;
        }
        Acknowledge a = new Acknowledge(m.messageType(), m.messageId().toString(), m.sequenceNumber(), true);
        wire.accept(codec.encode(new ClientMessage(MessageType.ACKNOWLEDGE.wire(), 1, clock.getAsLong(), 0,
                ClientMessage.FLAG_SYN | ClientMessage.FLAG_FIN, UUID.randomUUID(), PayloadType.NONE.wire(), Payloads.toJson(a))));
        if (!received.add(m.sequenceNumber())) {
            return;
        }
        if (m.payloadType() == PayloadType.HANDSHAKE_RESPONSE.wire()) {
            try {
                clientVersion = Payloads.mapper().readTree(m.payload()).path("ClientVersion").asText(null);
            } catch (IOException e) {
                // compared below
            }
        }
        ClientMessage want = expectedBySeq.get(m.sequenceNumber());
        String problem = want == null ? "client sent input seq " + m.sequenceNumber() + " beyond the transcript"
                : compare(want, m);
        if (problem != null) {
            mismatch(problem);
            return;
        }
        advance();
    }

    private void mismatch(String problem) {
        LOG.info("replay mismatch: {}", problem);
        mismatches.add(problem);
        if (mismatches.size() == 1) {
            onEnd.accept("transcript mismatch: " + problem);
        }
    }

    private String compare(ClientMessage want, ClientMessage got) {
        long seq = got.sequenceNumber();
        if (want.payloadType() != got.payloadType()) {
            return "input seq " + seq + " has PayloadType " + got.payloadType() + ", the transcript has " + want.payloadType();
        }
        long type = got.payloadType();
        if (type == PayloadType.ENC_CHALLENGE_RESPONSE.wire() || (encrypted && type == PayloadType.OUTPUT.wire())) {
            return null;
        }
        if (type == PayloadType.SIZE.wire()) {
            return sizeProblem(seq, got.payload());
        }
        if (type == PayloadType.HANDSHAKE_RESPONSE.wire()) {
            JsonNode w = normalizedResponse(want.payload());
            JsonNode g = normalizedResponse(got.payload());
            return w.equals(g) ? null : "input seq " + seq + " handshake response " + g + " differs from the transcript's " + w;
        }
        if (!Arrays.equals(want.payload(), got.payload())) {
            return "input seq " + seq + " payload type " + type + " has " + got.payload().length
                    + " bytes that differ from the transcript's " + want.payload().length;
        }
        return null;
    }

    private static String sizeProblem(long seq, byte[] payload) {
        try {
            JsonNode n = Payloads.mapper().readTree(payload);
            if (n.path("cols").isIntegralNumber() && n.path("rows").isIntegralNumber()) {
                return null;
            }
        } catch (IOException e) {
            // fall through
        }
        return "input seq " + seq + " is a Size payload without integer cols and rows";
    }

    /** The response without what legitimately differs between clients: ClientVersion and the KMS blob. */
    private static JsonNode normalizedResponse(byte[] json) {
        try {
            JsonNode n = Payloads.mapper().readTree(json);
            if (n instanceof ObjectNode o) {
                o.remove("ClientVersion");
                for (JsonNode action : o.path("ProcessedClientActions")) {
                    JsonNode result = action.path("ActionResult");
                    if (result instanceof ObjectNode r) {
                        r.remove("KMSCipherTextKey");
                    }
                }
            }
            return n;
        } catch (IOException e) {
            return Payloads.mapper().getNodeFactory().textNode("<not JSON>");
        }
    }

    private void advance() {
        while (!stopped && next < steps.size()) {
            Step s = steps.get(next);
            if (s instanceof Send send) {
                wire.accept(send.frame());
            } else if (s instanceof Close close) {
                next++;
                onEnd.accept(close.output());
                return;
            } else if (s instanceof Expect e && !received.contains(e.message().sequenceNumber())) {
                return;
            }
            next++;
        }
    }

    public synchronized ReplayResult result() {
        return new ReplayResult(next == steps.size(), mismatches);
    }

    @Override
    public synchronized void stop() {
        stopped = true;
    }

    @Override
    public synchronized String clientVersion() {
        return clientVersion;
    }
}
