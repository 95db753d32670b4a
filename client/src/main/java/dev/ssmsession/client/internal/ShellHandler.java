package dev.ssmsession.client.internal;

import dev.ssmsession.client.SessionEnd;
import dev.ssmsession.client.SessionException;
import dev.ssmsession.protocol.channel.Delivery;
import dev.ssmsession.protocol.message.PayloadType;
import dev.ssmsession.protocol.payload.TerminalSize;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Shell, command and stdio sessions: agent Output to one stream, StdErr to another (shell family
 * only), ExitCode noted by the session; caller bytes to Output. A consumer that falls behind
 * makes deliveries {@link Delivery#NOT_READY}, so the agent resends later and nothing is lost.
 */
public final class ShellHandler implements SessionHandler {
    /** Bytes buffered per stream before deliveries are refused. */
    static final long BUFFER = 1 << 20;

    public enum Kind {
        /** Interactive shell: Size messages. */
        SHELL,
        /** Command: output streams and exit code, no terminal. */
        COMMAND,
        /** Raw bytes both ways (SPEC §8.5). */
        STDIO
    }

    private final ChannelSession session;
    private final Kind kind;
    private final ByteQueue stdout = new ByteQueue(BUFFER);
    private final ByteQueue stderr = new ByteQueue(BUFFER);
    private TerminalSize size;
    private boolean started;

    public ShellHandler(ChannelSession session, Kind kind, TerminalSize initialSize) {
        this.session = session;
        this.kind = kind;
        this.size = initialSize;
    }

    @Override
    public void onStart() {
        started = true;
        if (kind == Kind.SHELL && size != null) {
            session.sendMessage(PayloadType.SIZE, size.toJson());
        }
    }

    @Override
    public Delivery onPayload(PayloadType type, byte[] payload) {
        if (type == PayloadType.OUTPUT || (type == PayloadType.STDERR && kind == Kind.STDIO)) {
            return stdout.offer(payload, 0, payload.length) ? Delivery.ACCEPTED : Delivery.NOT_READY;
        }
        if (type == PayloadType.STDERR) {
            return stderr.offer(payload, 0, payload.length) ? Delivery.ACCEPTED : Delivery.NOT_READY;
        }
        // ExitCode is recorded by the session; Flags and unknown types carry nothing for a shell.
        return Delivery.ACCEPTED;
    }

    @Override
    public void onEnd(SessionEnd end, SessionException failure) {
        IOException e = failure == null ? null : new IOException(failure.getMessage(), failure);
        stdout.finish(e);
        stderr.finish(e);
    }

    /** Must hold the session lock. Sends now if started, else with the start. */
    void resize(TerminalSize newSize) {
        if (newSize.equals(size) && started) {
            return;
        }
        size = newSize;
        if (started && kind == Kind.SHELL) {
            session.sendMessage(PayloadType.SIZE, newSize.toJson());
        }
    }

    public void resize(int cols, int rows) {
        TerminalSize s = new TerminalSize(cols, rows);
        session.locked(() -> resize(s));
    }

    public InputStream stdout() {
        return stdout.inputStream(n -> afterRead(stdout), () -> { });
    }

    public InputStream stderr() {
        return stderr.inputStream(n -> afterRead(stderr), () -> { });
    }

    private void afterRead(ByteQueue q) {
        if (q.takeRefused()) {
            session.locked(session::retryDelivery);
        }
    }

    /**
     * The caller's input, sent as written: what reaches the remote does not depend on how the caller
     * buffered its writes (a terminal front end that wants Enter as CR translates it itself). Closing
     * it ends a stdio session; for shells it is a no-op.
     */
    public OutputStream stdin(Runnable onClose) {
        return new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[]{(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                session.write(b, off, len);
            }

            @Override
            public void close() {
                onClose.run();
            }
        };
    }
}
