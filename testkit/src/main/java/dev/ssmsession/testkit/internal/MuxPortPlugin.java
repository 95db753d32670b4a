package dev.ssmsession.testkit.internal;

import dev.ssmsession.protocol.message.PayloadType;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Port session in mux mode (SPEC §8.4): the agent is the smux version-1 server. Each SYN dials
 * the destination; a refused dial sends Flag ConnectToPortError and FIN. Destination bytes go out
 * as PSH frames (one frame per Output message, at most 1024 bytes each); FIN from the client closes
 * the destination connection, whose end sends FIN back. NOPs every 10 s unless the client's version
 * lets the agent turn keepalive off.
 */
public final class MuxPortPlugin implements AgentPlugin {
    private static final Logger LOG = LoggerFactory.getLogger(MuxPortPlugin.class);
    private static final int VERSION = 1;
    private static final int MAX_DATA = 1024 - SmuxDecoder.HEADER;
    private static final byte[] EOF = new byte[0];
    /**
     * PSH chunks a stream holds for a slow destination. Beyond it the agent's thread waits, so it
     * stops acknowledging the client's input and the client's window applies backpressure, as the
     * real agent's smux receive buffer does; without a bound a fast sender fills the heap.
     */
    static final int STREAM_BUFFER = 256;

    private final PortTarget target;
    private final String sessionId;
    private final AgentOutput out;
    private final boolean keepalive;
    private final ScheduledExecutorService scheduler;
    private final SmuxDecoder decoder = new SmuxDecoder(VERSION);
    private final Map<Long, Stream> streams = new ConcurrentHashMap<>();
    private volatile boolean stopped;
    private ScheduledFuture<?> nop;

    private final class Stream {
        final long id;
        final BlockingQueue<byte[]> toDestination = new LinkedBlockingQueue<>(STREAM_BUFFER);
        volatile Socket socket;
        volatile boolean finSent;
        /** The writer is gone: nobody drains {@link #toDestination} any more. */
        volatile boolean writerDone;

        Stream(long id) {
            this.id = id;
        }

        void run() {
            Socket s;
            try {
                s = target.connect();
            } catch (IOException e) {
                LOG.info("session {} stream {}: cannot reach {}: {}", sessionId, id, target, e.getMessage());
                streams.remove(id);
                send(PayloadType.FLAG, Flags.encode(Flags.CONNECT_TO_PORT_ERROR));
                sendFin();
                writerDone = true;
                toDestination.clear();
                return;
            }
            socket = s;
            if (stopped) {
                writerDone = true;
                close();
                return;
            }
            Threads.start("testkit-smux-" + sessionId + "-" + id, this::pumpFromDestination);
            try (OutputStream os = s.getOutputStream()) {
                while (true) {
                    byte[] data = toDestination.take();
                    if (data == EOF) {
                        break;
                    }
                    os.write(data);
                }
            } catch (IOException e) {
                LOG.debug("session {} stream {}: write to {} ended: {}", sessionId, id, target, e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            writerDone = true;
            toDestination.clear();
            // No half-close through the tunnel (SPEC §8.4): FIN from the client ends the connection.
            close();
        }

        void pumpFromDestination() {
            byte[] buf = new byte[MAX_DATA];
            try (InputStream in = socket.getInputStream()) {
                int n;
                while ((n = in.read(buf)) > 0) {
                    send(PayloadType.OUTPUT, SmuxDecoder.frame(VERSION, SmuxDecoder.PSH, id, buf, 0, n));
                }
            } catch (IOException e) {
                LOG.debug("session {} stream {}: read from {} ended: {}", sessionId, id, target, e.getMessage());
            }
            streams.remove(id);
            sendFin();
            close();
            enqueue(EOF);
        }

        /** Hands {@code data} to the writer, waiting while the buffer is full; dropped once the writer is gone. */
        void enqueue(byte[] data) {
            try {
                while (!writerDone && !stopped) {
                    if (toDestination.offer(data, 100, TimeUnit.MILLISECONDS)) {
                        return;
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        synchronized void sendFin() {
            if (!finSent) {
                finSent = true;
                send(PayloadType.OUTPUT, SmuxDecoder.frame(VERSION, SmuxDecoder.FIN, id, new byte[0], 0, 0));
            }
        }

        void close() {
            Socket s = socket;
            if (s != null) {
                try {
                    s.close();
                } catch (IOException ignored) {
                    // closing
                }
            }
        }
    }

    public MuxPortPlugin(PortTarget target, boolean keepalive, ScheduledExecutorService scheduler,
                         String sessionId, AgentOutput out) {
        this.target = target;
        this.keepalive = keepalive;
        this.scheduler = scheduler;
        this.sessionId = sessionId;
        this.out = out;
    }

    @Override
    public void start() {
        if (keepalive) {
            nop = scheduler.scheduleAtFixedRate(
                    () -> send(PayloadType.OUTPUT, SmuxDecoder.frame(VERSION, SmuxDecoder.NOP, 0, new byte[0], 0, 0)),
                    10, 10, TimeUnit.SECONDS);
        }
    }

    private void send(PayloadType type, byte[] payload) {
        if (stopped) {
            return;
        }
        try {
            out.send(type, payload);
        } catch (IllegalStateException e) {
            LOG.debug("session {} ended while smux was sending", sessionId);
        }
    }

    @Override
    public void onInput(long payloadType, byte[] payload) {
        if (payloadType == PayloadType.FLAG.wire()) {
            if (Flags.decode(payload) == Flags.TERMINATE_SESSION) {
                out.end("");
            }
            return;
        }
        if (payloadType != PayloadType.OUTPUT.wire()) {
            return;
        }
        try {
            decoder.feed(payload, this::onFrame);
        } catch (SmuxDecoder.SmuxProtocolException e) {
            LOG.warn("session {}: {}", sessionId, e.getMessage());
            out.end("smux protocol error: " + e.getMessage());
        }
    }

    private void onFrame(int cmd, long sid, byte[] data) {
        switch (cmd) {
            case SmuxDecoder.SYN -> {
                Stream s = new Stream(sid);
                if (streams.putIfAbsent(sid, s) == null) {
                    Threads.start("testkit-smux-dial-" + sessionId + "-" + sid, s::run);
                }
            }
            case SmuxDecoder.PSH -> {
                Stream s = streams.get(sid);
                if (s != null && data.length > 0) {
                    s.enqueue(data);
                }
            }
            case SmuxDecoder.FIN -> {
                Stream s = streams.remove(sid);
                if (s != null) {
                    s.enqueue(EOF);
                }
            }
            default -> {
                // NOP: keepalive only.
            }
        }
    }

    @Override
    public void stop() {
        stopped = true;
        if (nop != null) {
            nop.cancel(false);
        }
        for (Stream s : streams.values()) {
            s.close();
            // Never waits: the buffer may be full, and the writer also ends on the closed socket.
            s.toDestination.offer(EOF);
        }
        streams.clear();
    }
}
