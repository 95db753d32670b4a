package dev.ssmsession.client;

import dev.ssmsession.client.SessionException.Reason;
import dev.ssmsession.client.internal.ChannelSession;
import dev.ssmsession.client.internal.ConnectionEvents;
import dev.ssmsession.client.internal.PortSessionHandler;
import dev.ssmsession.client.internal.ShellHandler;
import dev.ssmsession.client.internal.TunnelSocketImpl;

import dev.ssmsession.protocol.channel.DataChannelStats;
import dev.ssmsession.protocol.payload.TerminalSize;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * An opened session whose kind is decided by the agent's handshake (SPEC §4). Await {@link #info()}
 * to learn it, or ask for the view you expect right away — {@link #shell}, {@link #command()},
 * {@link #stdio()}, {@link #forwardPort} or {@link #socket()} — which binds it before any data
 * arrives (the view fails the session if the kind turns out different). One view per session,
 * except that a port session may serve several {@link #forwardPort} listeners and {@link #socket()}s.
 *
 * <p>{@link #close()} calls {@code TerminateSession} (and, for port sessions, sends the
 * TerminateSession flag first) and closes the data channel. Nothing here prints, exits or touches
 * a terminal.
 *
 * <h2>Threads</h2>
 * <ul>
 *   <li>{@link #info()} and {@link #ended()} complete on the manager's I/O executor, one at a time and in
 *       order ({@code info()} first), never on the thread that reads the WebSocket or on the manager's
 *       scheduler. A dependent stage ({@code whenComplete}, {@code thenAccept}…) runs there too, unless it is
 *       added after completion, when it runs on the thread that adds it. It may block: that holds up later
 *       completions of this session only, not its traffic nor other sessions. After the manager is closed a
 *       completion runs on the thread that ends the session.</li>
 *   <li>{@link ConnectionListener}s and {@link PortForwardListener}s are called on the manager's I/O executor,
 *       in order; they should return promptly (they delay later events of the same session).</li>
 *   <li>The streams of a view block the calling thread: a write while the send window is full (backpressure,
 *       nothing is dropped), a read until data arrives. {@link #close()} blocks for the TerminateSession call.
 *       All methods are thread-safe.</li>
 * </ul>
 */
public final class Session implements AutoCloseable {
    static final TerminalSize DEFAULT_SIZE = new TerminalSize(80, 24);

    private final ChannelSession channel;
    private final ExecutorService io;
    private final ConnectionEvents connectionEvents;
    private PortSessionHandler ports;
    private final List<PortForwardListener> portListeners = new CopyOnWriteArrayList<>();

    Session(ChannelSession channel, ExecutorService io) {
        this.channel = channel;
        this.io = io;
        this.connectionEvents = new ConnectionEvents(channel.sessionId(), io, channel::nanoTime);
        channel.transport().observe(connectionEvents);
    }

    public String sessionId() {
        return channel.sessionId();
    }

    /** Completes with the session type once the handshake is done (or the first shell output came). */
    public CompletableFuture<SessionInfo> info() {
        return channel.info();
    }

    /** Waits for {@link #info()}; throws the session's {@link SessionException} if it failed. */
    public SessionInfo awaitInfo(Duration timeout) {
        return await(channel.info(), timeout, "the handshake");
    }

    /** Completes when the session ends: normally for a clean end, exceptionally with a {@link SessionException}. */
    public CompletableFuture<SessionEnd> ended() {
        return channel.ended();
    }

    /** Waits for the end of the session. */
    public SessionEnd awaitEnd(Duration timeout) {
        return await(channel.ended(), timeout, "the end of the session");
    }

    /**
     * Tells {@code listener} when the data channel is lost and being re-established, back, or given up
     * (in addition to a listener set on the manager's builder). Events that happened before are not replayed.
     */
    public Session addConnectionListener(ConnectionListener listener) {
        connectionEvents.add(listener);
        return this;
    }

    /** Whether the data channel is down and being re-established right now. */
    public boolean isReconnecting() {
        return channel.transport().isReconnecting();
    }

    /** How often the data channel was re-established after a loss. */
    public int reconnects() {
        return channel.transport().reconnects();
    }

    /**
     * A snapshot of the data channel's counters: messages sent, retransmitted and acked, bytes each way,
     * the RTT estimate, the pacing rate and whether adaptive pacing fell back. For diagnostics and
     * benchmarks; cheap, but it takes the session's lock.
     */
    public DataChannelStats channelStats() {
        return channel.stats();
    }

    /** An interactive shell with an initial terminal size (sent as the first Size message). */
    public ShellSession shell(int cols, int rows) {
        ShellHandler h = new ShellHandler(channel, ShellHandler.Kind.SHELL, new TerminalSize(cols, rows));
        channel.install(h, info -> require(info, SessionInfo.Mode.SHELL, "shell"));
        return new ShellSession(this, h);
    }

    /** {@link #shell(int, int)} at 80×24. */
    public ShellSession shell() {
        return shell(DEFAULT_SIZE.cols(), DEFAULT_SIZE.rows());
    }

    /** A command session: stdout, stderr and the exit code, no terminal (no Size messages). */
    public CommandSession command() {
        ShellHandler h = new ShellHandler(channel, ShellHandler.Kind.COMMAND, null);
        channel.install(h, info -> require(info, SessionInfo.Mode.SHELL, "command"));
        return new CommandSession(this, h);
    }

    /** A raw byte stream (SPEC §8.5). */
    public StdioSession stdio() {
        ShellHandler h = new ShellHandler(channel, ShellHandler.Kind.STDIO, null);
        channel.install(h, info -> require(info, SessionInfo.Mode.STDIO, "stdio stream"));
        return new StdioSession(this, h);
    }

    /**
     * Forwards a local listener to the session's destination (a port forwarding document:
     * {@code AWS-StartPortForwardingSession} or {@code …ToRemoteHost}). Several forwards may share the session:
     * each has its own listener, and closing one closes only its local listener, not the session nor its siblings
     * ({@link #close()} ends the session and with it every forward).
     */
    public PortForward forwardPort(PortForward.Options options) {
        return forwardPort(options, false);
    }

    /** @param ownsSession closing the forward also ends the session (the manager started it for this forward) */
    PortForward forwardPort(PortForward.Options options, boolean ownsSession) {
        if (options.sessions() != 1) {
            throw new IllegalArgumentException("a forward on an open session uses that session only; ask the "
                    + "SessionManager's forwardPort for " + options.sessions() + " sessions");
        }
        ports();  // binds the session as a port session before any data arrives
        PortForwardListener listener = options.listener();
        portListeners.add(listener);
        try {
            return new PortForward(options, where -> singlePool(where, options), io, ownsSession,
                    () -> portListeners.remove(listener));
        } catch (RuntimeException e) {
            portListeners.remove(listener);
            throw e;
        }
    }

    /** This session alone: when it ends, nothing replaces it. */
    SessionPool singlePool(String where, PortForward.Options options) {
        SessionPool pool = new SessionPool(where + " through session " + sessionId(), () -> {
            throw new SessionException(Reason.CLOSED, "session " + sessionId() + " has ended");
        }, 1, Duration.ZERO, null, io, channel::nanoTime);
        pool.add(this, true);
        return pool;
    }

    /** {@link #forwardPort(PortForward.Options)} on 127.0.0.1 with an ephemeral port. */
    public PortForward forwardPort() {
        return forwardPort(PortForward.Options.defaults());
    }

    /**
     * A connected {@link Socket} to the session's destination, in this process, with no local
     * listener: a new smux stream (several may be open at once), or in basic mode the one
     * connection (a second waits until the first is closed).
     */
    public Socket socket() throws IOException {
        return socket("session-" + sessionId(), 1, () -> { });
    }

    /** A socket to the session's destination, named host:port for {@code getInetAddress()}/{@code getPort()}. */
    Socket socket(String host, int port, Runnable onClose) throws IOException {
        PortSessionHandler h = ports();
        Socket s = new TunnelSocket(new TunnelSocketImpl((ignoredHost, ignoredPort) -> h.connect(), onClose));
        s.connect(InetSocketAddress.createUnresolved(host, port));
        return s;
    }

    synchronized PortSessionHandler portsForSocket() {
        return ports();
    }

    private synchronized PortSessionHandler ports() {
        if (ports == null) {
            PortSessionHandler h = new PortSessionHandler(channel, this::unattributedConnectError);
            channel.install(h, h::bind);
            ports = h;
        }
        return ports;
    }

    /**
     * The agent could not dial the destination for a connection it does not name (SPEC §8.4): every open forward
     * hears it, on the callback executor (this runs under the session lock on the WebSocket reader).
     */
    private void unattributedConnectError(String message) {
        SessionException e = new SessionException(Reason.SERVICE, message);
        for (PortForwardListener l : portListeners) {
            channel.callbacks().execute(() -> l.onConnectionFailed(null, e));
        }
    }

    private static void require(SessionInfo info, SessionInfo.Mode mode, String what) {
        if (info.mode() != mode) {
            throw new SessionException(Reason.INVALID_REQUEST, "session " + info.sessionId() + " is a "
                    + info.sessionType() + " session (" + info.mode() + "), not a " + what
                    + "; check the document of the StartSession request");
        }
    }

    /** Whether the session has ended, also when {@link #ended()} has not completed yet (it completes on another thread). */
    boolean isEnded() {
        return channel.isFinished();
    }

    ChannelSession channel() {
        return channel;
    }

    @Override
    public void close() {
        channel.close();
    }

    @Override
    public String toString() {
        return "Session[" + sessionId() + "]";
    }

    static <T> T await(CompletableFuture<T> f, Duration timeout, String what) {
        try {
            return f.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof SessionException se) {
                throw new SessionException(se.reason(), se.getMessage(), se);
            }
            throw new SessionException(Reason.SERVICE, "waiting for " + what + " failed: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new SessionException(Reason.TIMEOUT, "timed out after " + timeout.toMillis() + " ms waiting for " + what);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SessionException(Reason.CLOSED, "interrupted while waiting for " + what);
        }
    }
}
