package dev.ssmsession.client.internal;

import dev.ssmsession.client.SessionEnd;
import dev.ssmsession.client.SessionException;
import dev.ssmsession.client.SessionException.Reason;
import dev.ssmsession.client.SessionInfo;
import dev.ssmsession.protocol.channel.Delivery;
import dev.ssmsession.protocol.handshake.Versions;
import dev.ssmsession.protocol.message.PayloadType;
import dev.ssmsession.protocol.payload.Flag;
import dev.ssmsession.protocol.payload.PayloadFormatException;
import dev.ssmsession.protocol.smux.SmuxConfig;
import dev.ssmsession.protocol.smux.SmuxException;
import dev.ssmsession.protocol.smux.SmuxSession;
import dev.ssmsession.protocol.smux.SmuxSessionHandler;
import dev.ssmsession.protocol.smux.SmuxStream;
import dev.ssmsession.protocol.smux.SmuxStreamListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Consumer;

/**
 * Port sessions (SPEC §8.3, §8.4): smux streams over the Output payloads when the agent supports
 * it, else one connection at a time ("basic"). Connections are handed out as
 * {@link TunnelConnection}s; whoever uses them (a local socket pump, an in-process socket) calls
 * into them from its own threads.
 *
 * <p>Backpressure end to end: smux receive credit is released only after the consumer took the
 * bytes ({@link SmuxStream#consumed}); smux output is released only as the data channel accepts it;
 * basic mode refuses deliveries while the consumer is behind.
 */
public final class PortSessionHandler implements SessionHandler {
    private static final Logger log = LoggerFactory.getLogger(PortSessionHandler.class);
    /** Raw smux input held before deliveries are refused. */
    static final long MAX_PENDING_SMUX_INPUT = 1 << 20;

    private final ChannelSession session;
    private final Consumer<String> connectError;
    private SessionInfo info;
    private boolean mux;
    private SmuxSession smux;
    private final ArrayDeque<byte[]> outFrames = new ArrayDeque<>();
    private int headOffset;
    private final List<MuxConnection> awaitingFirstData = new ArrayList<>();
    private BasicConnection basicCurrent;
    private boolean started;
    private boolean ended;

    /** @param connectError hears ConnectToPortError reports that could not be tied to a connection */
    public PortSessionHandler(ChannelSession session, Consumer<String> connectError) {
        this.session = session;
        this.connectError = connectError;
    }

    /** Called by the install factory once the session type is known (lock held). */
    public PortSessionHandler bind(SessionInfo sessionInfo) {
        if (sessionInfo.mode() != SessionInfo.Mode.PORT_MUX && sessionInfo.mode() != SessionInfo.Mode.PORT_BASIC) {
            throw new SessionException(Reason.INVALID_REQUEST, "session " + sessionInfo.sessionId() + " is a "
                    + sessionInfo.sessionType() + " session (" + sessionInfo.mode() + "), not a port forwarding session "
                    + "(type LocalPortForwarding); use a port forwarding document such as AWS-StartPortForwardingSession");
        }
        this.info = sessionInfo;
        this.mux = sessionInfo.mode() == SessionInfo.Mode.PORT_MUX;
        return this;
    }

    @Override
    public void onStart() {
        started = true;
        if (mux) {
            // SPEC §8.4: smux v1 defaults; keepalive off only for agents that turned theirs off too.
            SmuxConfig config = SmuxConfig.builder()
                    .keepAlive(!Versions.clientDisablesSmuxKeepalive(info.agentVersion()))
                    .build();
            smux = SmuxSession.client(config, session::nanoTime, frame -> {
                outFrames.add(frame);
                pump();
            }, new SmuxSessionHandler() {
                @Override
                public void onClosed(Optional<SmuxException> error) {
                    error.ifPresent(e -> session.fail(new SessionException(Reason.PROTOCOL,
                            "smux session of " + session.sessionId() + " failed: " + e.getMessage(), e)));
                }
            });
        }
        session.signalChange();
    }

    /** Moves smux output into the data channel as far as its window allows. Lock held. */
    private void pump() {
        while (!outFrames.isEmpty()) {
            byte[] head = outFrames.peek();
            int n = session.offer(head, headOffset, head.length - headOffset);
            if (n == 0) {
                return;
            }
            headOffset += n;
            if (headOffset == head.length) {
                outFrames.poll();
                headOffset = 0;
            }
            smux.outputWritten(n);
        }
    }

    @Override
    public void onWritable() {
        if (mux && smux != null) {
            pump();
        }
        session.signalChange();
    }

    @Override
    public Delivery onPayload(PayloadType type, byte[] payload) {
        if (type == PayloadType.FLAG) {
            try {
                if (Flag.decode(payload) == Flag.CONNECT_TO_PORT_ERROR) {
                    connectToPortError();
                }
            } catch (PayloadFormatException e) {
                log.debug("Session {}: unreadable flag: {}", session.sessionId(), e.getMessage());
            }
            return Delivery.ACCEPTED;
        }
        if (type != PayloadType.OUTPUT) {
            return Delivery.ACCEPTED;
        }
        if (mux) {
            if (smux.pendingInputBytes() > MAX_PENDING_SMUX_INPUT) {
                return Delivery.NOT_READY;
            }
            smux.onInput(payload, 0, payload.length);
            return Delivery.ACCEPTED;
        }
        // SPEC §8.2: until a local connection exists, data is refused so that the agent resends it.
        if (basicCurrent == null) {
            return Delivery.NOT_READY;
        }
        return basicCurrent.inbound.offer(payload, 0, payload.length) ? Delivery.ACCEPTED : Delivery.NOT_READY;
    }

    /**
     * SPEC §8.4: the agent could not dial the destination for a new stream; the flag does not say
     * which, so it is the oldest stream that has not received anything yet.
     */
    private void connectToPortError() {
        String msg = "Connection to destination port failed, check SSM Agent logs (session " + session.sessionId() + ")";
        if (!awaitingFirstData.isEmpty()) {
            MuxConnection c = awaitingFirstData.remove(0);
            c.failed = msg;
            c.inbound.finish(new IOException(msg));
            if (c.stream.isOpen()) {
                c.stream.close();
            }
        } else {
            connectError.accept(msg);
        }
    }

    @Override
    public OptionalLong nextDeadlineNanos() {
        return smux == null ? OptionalLong.empty() : smux.nextDeadlineNanos();
    }

    @Override
    public void tick() {
        if (smux != null) {
            smux.tick();
        }
    }

    @Override
    public void onEnd(SessionEnd end, SessionException failure) {
        ended = true;
        IOException e = new IOException(failure != null ? failure.getMessage() : "session " + session.sessionId() + " ended");
        if (smux != null && smux.isOpen()) {
            smux.close();
        }
        for (MuxConnection c : awaitingFirstData) {
            c.inbound.finish(e);
        }
        if (basicCurrent != null) {
            basicCurrent.inbound.finish(failure == null ? null : e);
        }
    }

    /**
     * A new connection to the destination: a new smux stream, or in basic mode the channel once
     * the previous connection is done. Blocks until the session is ready.
     *
     * @throws IOException if the session ended
     */
    public TunnelConnection connect() throws IOException {
        TunnelConnection[] out = new TunnelConnection[1];
        session.awaitLocked(() -> {
            checkUsable();
            if (!started) {
                return false;
            }
            if (mux) {
                MuxConnection c = new MuxConnection();
                try {
                    c.stream = smux.openStream(c);
                } catch (SmuxException ex) {
                    throw new IOException("cannot open a new stream in session " + session.sessionId() + ": " + ex.getMessage(), ex);
                }
                awaitingFirstData.add(c);
                out[0] = c;
                return true;
            }
            if (basicCurrent != null) {
                return false;
            }
            basicCurrent = new BasicConnection();
            out[0] = basicCurrent;
            session.retryDelivery();
            return true;
        });
        return out[0];
    }

    private void checkUsable() throws IOException {
        if (ended || session.isFinished()) {
            SessionException f = session.failure();
            throw new IOException("session " + session.sessionId() + " has ended" + (f != null ? ": " + f.getMessage() : ""));
        }
    }

    private final class MuxConnection implements TunnelConnection, SmuxStreamListener {
        final ByteQueue inbound = new ByteQueue(Long.MAX_VALUE);
        SmuxStream stream;
        volatile String failed;

        @Override
        public int read(byte[] b, int off, int len, int timeoutMillis) throws IOException {
            return inbound.read(b, off, len, timeoutMillis);
        }

        @Override
        public void consumed(int n) {
            session.locked(() -> {
                if (stream.isOpen()) {
                    stream.consumed(n);
                }
            });
        }

        @Override
        public int available() {
            return inbound.available();
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            int[] pos = {off, len};
            session.awaitLocked(() -> {
                if (failed != null) {
                    throw new IOException(failed);
                }
                checkUsable();
                if (!stream.isOpen()) {
                    throw new IOException("connection closed");
                }
                int n = stream.write(b, pos[0], pos[1]);
                pos[0] += n;
                pos[1] -= n;
                return pos[1] == 0;
            });
        }

        @Override
        public void close() {
            session.locked(() -> {
                awaitingFirstData.remove(this);
                if (stream.isOpen()) {
                    stream.close();
                }
            });
        }

        @Override
        public void onData(SmuxStream s, byte[] data, int off, int len) {
            awaitingFirstData.remove(this);
            inbound.offer(data, off, len);
        }

        @Override
        public void onEndOfStream(SmuxStream s) {
            awaitingFirstData.remove(this);
            inbound.finish(failed == null ? null : new IOException(failed));
        }

        @Override
        public void onWritable(SmuxStream s) {
            session.signalChange();
        }

        @Override
        public void onClosed(SmuxStream s, Optional<SmuxException> error) {
            awaitingFirstData.remove(this);
            inbound.finish(error.<IOException>map(e -> new IOException("stream failed: " + e.getMessage(), e))
                    .orElse(failed == null ? null : new IOException(failed)));
            session.signalChange();
        }
    }

    private final class BasicConnection implements TunnelConnection {
        final ByteQueue inbound = new ByteQueue(ShellHandler.BUFFER);
        private volatile boolean closed;

        @Override
        public int read(byte[] b, int off, int len, int timeoutMillis) throws IOException {
            return inbound.read(b, off, len, timeoutMillis);
        }

        @Override
        public void consumed(int n) {
            if (inbound.takeRefused()) {
                session.locked(session::retryDelivery);
            }
        }

        @Override
        public int available() {
            return inbound.available();
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (closed) {
                throw new IOException("connection closed");
            }
            session.write(b, off, len);
        }

        @Override
        public void close() {
            synchronized (this) {
                if (closed) {
                    return;
                }
                closed = true;
            }
            inbound.finish(null);
            session.locked(() -> {
                if (basicCurrent == this) {
                    basicCurrent = null;
                    // SPEC §8.3: the agent closes its side and re-dials on the next data.
                    session.sendMessage(PayloadType.FLAG, Flag.DISCONNECT_TO_PORT.encode());
                    session.signalChange();
                }
            });
        }
    }
}
