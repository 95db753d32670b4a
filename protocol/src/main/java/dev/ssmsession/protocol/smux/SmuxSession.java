package dev.ssmsession.protocol.smux;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * A smux session (SPEC §10) over one byte stream in each direction, driven entirely by its owner:
 * peer bytes come in through {@link #onInput}, bytes for the peer go out through the
 * {@link SmuxSink}, time advances through {@link #tick()} on an injected nanosecond ticker.
 *
 * <p>Flow control is end to end and never drops data. Outgoing: {@link SmuxStream#write} returns
 * how much it accepted, 0 when the v2 peer window or this session's outgoing buffer (bytes the
 * sink has not reported written via {@link #outputWritten}) is exhausted; the stream listener hears
 * {@code onWritable} later. Incoming: received data is delivered at once and counts against the
 * session receive buffer until the consumer calls {@link SmuxStream#consumed}; while the buffer is
 * full the session stops decoding and keeps further input raw (like Go's recvLoop stops reading
 * the connection), and only {@code consumed} releases v2 credit (UPD).
 *
 * <p>Not thread-safe. The owner serializes every call on one lock. Callbacks (sink, handler,
 * listeners) run synchronously inside these calls and must not block.
 */
public final class SmuxSession {

    /** Which side of {@code smux.Client}/{@code smux.Server} this is; decides stream id parity. */
    public enum Role {
        /** Opens odd ids 3, 5, 7, … (the Session Manager client). */
        CLIENT,
        /** Opens even ids 2, 4, 6, … (the agent). */
        SERVER
    }

    private enum Status { OPEN, CLOSED, FAILED }

    private final Role role;
    private final SmuxConfig config;
    private final SmuxVersion version;
    private final LongSupplier ticker;
    private final SmuxSink sink;
    private final SmuxSessionHandler handler;
    private final SmuxFrameDecoder decoder;
    private final Map<Long, SmuxStream> streams = new LinkedHashMap<>();
    private final Set<SmuxStream> waitingWriters = new LinkedHashSet<>();
    private final PendingInput pending = new PendingInput();
    private final KeepAlive keepAlive;
    /** The last id this side opened; package-private so a test can start near the uint32 end. */
    long lastId;
    private long unconsumed;
    private long outstandingOutput;
    private boolean decoding;
    private boolean notifying;
    private boolean notifyAgain;
    private Status status = Status.OPEN;
    private SmuxException failure;

    private SmuxSession(Role role, SmuxConfig config, LongSupplier nanoTicker, SmuxSink sink, SmuxSessionHandler handler) {
        this.role = Objects.requireNonNull(role, "role");
        this.config = Objects.requireNonNull(config, "config");
        this.version = config.version();
        this.ticker = Objects.requireNonNull(nanoTicker, "nanoTicker");
        this.sink = Objects.requireNonNull(sink, "sink");
        this.handler = Objects.requireNonNull(handler, "handler");
        this.decoder = new SmuxFrameDecoder(version, config.maxFrameSize());
        // SPEC §10.3: the counter starts at 1 (client) / 0 (server) and is bumped by 2 before use.
        this.lastId = role == Role.CLIENT ? 1 : 0;
        this.keepAlive = new KeepAlive(config.keepAliveInterval().toNanos(), config.keepAliveTimeout().toNanos(),
                ticker.getAsLong());
    }

    /** The Session Manager client side (odd stream ids). */
    public static SmuxSession client(SmuxConfig config, LongSupplier nanoTicker, SmuxSink sink, SmuxSessionHandler handler) {
        return new SmuxSession(Role.CLIENT, config, nanoTicker, sink, handler);
    }

    /** The agent side (even stream ids). */
    public static SmuxSession server(SmuxConfig config, LongSupplier nanoTicker, SmuxSink sink, SmuxSessionHandler handler) {
        return new SmuxSession(Role.SERVER, config, nanoTicker, sink, handler);
    }

    public Role role() {
        return role;
    }

    public SmuxConfig config() {
        return config;
    }

    public boolean isOpen() {
        return status == Status.OPEN;
    }

    /** Why the session failed, if it did. */
    public Optional<SmuxException> failure() {
        return Optional.ofNullable(failure);
    }

    /** Streams currently open (including those the peer has finished). */
    public int streamCount() {
        return streams.size();
    }

    /** Whether decoding is paused because delivered-but-unconsumed bytes fill the receive buffer. */
    public boolean isInputPaused() {
        return unconsumed >= config.maxReceiveBuffer();
    }

    /** Raw peer bytes held while input is paused; an owner may stop reading its transport while this grows. */
    public long pendingInputBytes() {
        return pending.size();
    }

    /** Bytes handed to the sink and not yet reported through {@link #outputWritten}. */
    public long outstandingOutputBytes() {
        return outstandingOutput;
    }

    /**
     * Opens a stream (sends SYN). Its events go to {@code listener}.
     *
     * @throws SmuxException if the session is not open or the uint32 id space is used up
     */
    public SmuxStream openStream(SmuxStreamListener listener) {
        Objects.requireNonNull(listener, "listener");
        ensureOpen();
        long id = lastId;
        do {
            id += 2;
            if (id > SmuxFrameCodec.MAX_STREAM_ID) {
                throw new SmuxException("smux stream ids exhausted: next id " + id + " exceeds 4294967295");
            }
        } while (streams.containsKey(id));
        lastId = id;
        SmuxStream stream = new SmuxStream(this, id);
        stream.listener = listener;
        streams.put(id, stream);
        emit(SmuxFrameCodec.encode(SmuxFrame.syn(version, id)));
        return stream;
    }

    /**
     * Bytes from the peer, any chunking. The session copies what it cannot decode now. Ignored once
     * the session is closed. A protocol error fails the session (every stream hears
     * {@code onClosed} with the error); it is not thrown.
     */
    public void onInput(byte[] b, int off, int len) {
        Objects.checkFromIndexSize(off, len, b.length);
        if (status != Status.OPEN || len == 0) {
            return;
        }
        if (decoding || !pending.isEmpty() || isInputPaused()) {
            pending.add(b, off, len);
            drainPending();
            return;
        }
        int n = decodeChunk(b, off, len);
        if (status == Status.OPEN && n < len) {
            // Ahead of anything a callback fed in re-entrantly meanwhile: byte order is the stream.
            pending.addFirst(b, off + n, len - n);
        }
        drainPending();
    }

    /**
     * The owner has passed {@code n} bytes received from the sink onward; frees outgoing buffer
     * and may wake writers.
     *
     * @throws IllegalArgumentException if {@code n} is negative or more than outstanding
     */
    public void outputWritten(int n) {
        if (n < 0 || n > outstandingOutput) {
            throw new IllegalArgumentException("outputWritten(" + n + ") but " + outstandingOutput + " bytes are outstanding");
        }
        outstandingOutput -= n;
        notifyWritable();
    }

    /** Sends a keepalive NOP or fails the session on keepalive timeout, when due (SPEC §10.5). */
    public void tick() {
        if (status != Status.OPEN || !config.keepAlive()) {
            return;
        }
        long now = ticker.getAsLong();
        if (keepAlive.pingDue(now)) {
            emit(SmuxFrameCodec.encode(SmuxFrame.nop(version)));
        }
        if (keepAlive.silent(now, isInputPaused())) {
            fail(new SmuxException("smux keepalive timeout: no frame from the peer within "
                    + config.keepAliveTimeout().toMillis() + " ms"));
        }
    }

    /** When {@link #tick()} next has work, on the ticker's scale; empty when keepalive is off or the session ended. */
    public OptionalLong nextDeadlineNanos() {
        if (status != Status.OPEN || !config.keepAlive()) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(keepAlive.nextDeadline());
    }

    /** Sends FIN on every open stream, closes them (listeners hear {@code onClosed}) and ends the session. Idempotent. */
    public void close() {
        if (status != Status.OPEN) {
            return;
        }
        for (SmuxStream s : streams.values()) {
            emit(SmuxFrameCodec.encode(SmuxFrame.fin(version, s.id())));
        }
        end(Status.CLOSED, null);
    }

    // ---- called by SmuxStream ----

    int write(SmuxStream s, byte[] b, int off, int len) {
        ensureOpen();
        if (s.closed) {
            throw new SmuxException("smux stream " + s.id() + " is closed");
        }
        if (version == SmuxVersion.V2 && s.peerOverConsumed()) {
            throw new SmuxException("smux stream " + s.id() + ": peer reports " + s.peerConsumed
                    + " bytes consumed but " + (s.numWritten & SmuxFrameCodec.MAX_STREAM_ID) + " were sent");
        }
        // Off the waiting list while writing, so a synchronous outputWritten cannot re-enter this
        // stream's onWritable in the middle of the caller's own write.
        waitingWriters.remove(s);
        int total = 0;
        while (total < len) {
            long allowed = Math.min(len - total, config.maxFrameSize());
            if (version == SmuxVersion.V2) {
                allowed = Math.min(allowed, s.sendWindowAvailable());
            }
            allowed = Math.min(allowed, outgoingRoom());
            if (allowed <= 0) {
                break;
            }
            s.numWritten += allowed;
            emit(SmuxFrameCodec.encodePsh(version, s.id(), b, off + total, (int) allowed));
            total += (int) allowed;
        }
        if (total < len && status == Status.OPEN && !s.closed) {
            waitingWriters.add(s);
        }
        return total;
    }

    void consumed(SmuxStream s, int n) {
        if (s.closed) {
            return;
        }
        if (n < 0 || n > s.unconsumed) {
            throw new IllegalArgumentException("consumed(" + n + ") on smux stream " + s.id() + " but "
                    + s.unconsumed + " bytes are delivered and unconsumed");
        }
        s.unconsumed -= n;
        unconsumed -= n;
        if (version == SmuxVersion.V2 && n > 0) {
            s.numRead += n;
            s.incr += n;
            // xtaci/smux stream.go: UPD on the first read, then after every MaxStreamBuffer/2 consumed.
            if (s.numRead == n || s.incr >= config.maxStreamBuffer() / 2) {
                s.incr = 0;
                emit(SmuxFrameCodec.encode(SmuxFrame.upd(s.id(), s.numRead & SmuxFrameCodec.MAX_STREAM_ID,
                        config.maxStreamBuffer())));
            }
        }
        drainPending();
    }

    void closeStream(SmuxStream s) {
        if (s.closed) {
            return;
        }
        s.closed = true;
        streams.remove(s.id(), s);
        waitingWriters.remove(s);
        // The consumer may never report bytes of a closed stream: return them (Go recycleTokens).
        unconsumed -= s.unconsumed;
        s.unconsumed = 0;
        if (status == Status.OPEN) {
            emit(SmuxFrameCodec.encode(SmuxFrame.fin(version, s.id())));
        }
        if (s.listener != null) {
            s.listener.onClosed(s, Optional.empty());
        }
        drainPending();
    }

    // ---- input ----

    private void drainPending() {
        while (!decoding && status == Status.OPEN && !pending.isEmpty() && !isInputPaused()) {
            byte[] head = pending.head();
            int offset = pending.headOffset();
            int n = decodeChunk(head, offset, head.length - offset);
            if (status != Status.OPEN) {
                return;
            }
            pending.advance(n);
        }
    }

    private int decodeChunk(byte[] b, int off, int len) {
        decoding = true;
        try {
            return decoder.decode(b, off, len, this::handleFrame);
        } catch (SmuxProtocolException e) {
            fail(e);
            return len;
        } catch (RuntimeException e) {
            fail(new SmuxException("smux listener failed while handling input: " + e, e));
            return len;
        } finally {
            decoding = false;
        }
    }

    private boolean handleFrame(SmuxFrame f) {
        keepAlive.frameArrived();
        SmuxStream s = streams.get(f.streamId());
        switch (f.command()) {
            case NOP -> {
            }
            case SYN -> {
                // SPEC §10.2: a SYN for an existing id is ignored.
                if (s == null) {
                    accept(f.streamId());
                }
            }
            case FIN -> {
                if (s != null && !s.remoteFinished) {
                    s.remoteFinished = true;
                    s.listener.onEndOfStream(s);
                }
            }
            case PSH -> {
                // Unknown (or already closed) stream: discard (SPEC §10.2, §10.6). Length 0: ignore.
                int len = f.data().length;
                if (s != null && !s.remoteFinished && len > 0) {
                    s.unconsumed += len;
                    unconsumed += len;
                    s.listener.onData(s, f.data(), 0, len);
                }
            }
            case UPD -> {
                if (s != null) {
                    s.peerConsumed = f.updConsumed();
                    s.peerWindow = f.updWindow();
                    if (waitingWriters.contains(s)) {
                        notifyWritable();
                    }
                }
            }
        }
        return status == Status.OPEN && !isInputPaused();
    }

    private void accept(long id) {
        SmuxStream s = new SmuxStream(this, id);
        streams.put(id, s);
        SmuxStreamListener listener = handler.onAccept(s);
        if (listener == null) {
            closeStream(s);
        } else {
            s.listener = listener;
            if (waitingWriters.contains(s)) {
                notifyWritable();
            }
        }
    }

    // ---- output ----

    private long outgoingRoom() {
        return config.maxOutgoingBuffer() - outstandingOutput - SmuxFrameCodec.HEADER_LENGTH;
    }

    private void emit(byte[] frame) {
        outstandingOutput += frame.length;
        sink.send(frame);
    }

    private void notifyWritable() {
        if (notifying) {
            notifyAgain = true;
            return;
        }
        notifying = true;
        try {
            do {
                notifyAgain = false;
                for (SmuxStream s : new ArrayList<>(waitingWriters)) {
                    if (status != Status.OPEN || outgoingRoom() <= 0) {
                        return;
                    }
                    // listener == null: written to inside onAccept; it hears onWritable once accepted.
                    if (waitingWriters.contains(s) && s.listener != null
                            && (version == SmuxVersion.V1 || s.sendWindowAvailable() > 0 || s.peerOverConsumed())) {
                        waitingWriters.remove(s);
                        s.listener.onWritable(s);
                    }
                }
            } while (notifyAgain);
        } finally {
            notifying = false;
        }
    }

    // ---- lifecycle ----

    private void ensureOpen() {
        if (status == Status.FAILED) {
            throw new SmuxException("smux session failed: " + failure.getMessage(), failure);
        }
        if (status == Status.CLOSED) {
            throw new SmuxException("smux session is closed");
        }
    }

    private void fail(SmuxException error) {
        if (status == Status.OPEN) {
            end(Status.FAILED, error);
        }
    }

    private void end(Status how, SmuxException error) {
        status = how;
        failure = error;
        List<SmuxStream> open = new ArrayList<>(streams.values());
        streams.clear();
        waitingWriters.clear();
        pending.clear();
        unconsumed = 0;
        for (SmuxStream s : open) {
            s.closed = true;
            s.unconsumed = 0;
        }
        Optional<SmuxException> cause = Optional.ofNullable(error);
        for (SmuxStream s : open) {
            if (s.listener != null) {
                s.listener.onClosed(s, cause);
            }
        }
        handler.onClosed(cause);
    }

    @Override
    public String toString() {
        return "SmuxSession[" + role + ", v" + version.wire() + ", " + status + ", streams=" + streams.size() + "]";
    }
}
