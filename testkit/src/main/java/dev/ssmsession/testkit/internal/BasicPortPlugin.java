package dev.ssmsession.testkit.internal;

import dev.ssmsession.protocol.message.PayloadType;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Port session in basic mode (SPEC §8.3) or stdio mode (SPEC §8.5, e.g. AWS-StartSSHSession):
 * one TCP connection to the destination at a time, dialled when the session starts. Basic mode:
 * DisconnectToPort closes it and the next Output dials again. Stdio mode: the session ends when
 * the destination closes. TerminateSession ends either.
 */
public final class BasicPortPlugin implements AgentPlugin {
    private static final Logger LOG = LoggerFactory.getLogger(BasicPortPlugin.class);
    private static final int CHUNK = 1024;

    private final PortTarget target;
    private final boolean stdio;
    private final String sessionId;
    private final AgentOutput out;
    private final Object lock = new Object();
    private Socket socket;
    private boolean stopped;

    public BasicPortPlugin(PortTarget target, boolean stdio, String sessionId, AgentOutput out) {
        this.target = target;
        this.stdio = stdio;
        this.sessionId = sessionId;
        this.out = out;
    }

    @Override
    public void start() {
        try {
            dial();
        } catch (IOException e) {
            LOG.info("session {} cannot reach {}: {}", sessionId, target, e.getMessage());
            out.end("Unable to start port forwarding to " + target + ": " + e.getMessage());
        }
    }

    private Socket dial() throws IOException {
        Socket s = target.connect();
        synchronized (lock) {
            if (stopped) {
                s.close();
                throw new IOException("session stopped");
            }
            socket = s;
        }
        Threads.start("testkit-port-" + sessionId, () -> pump(s));
        return s;
    }

    private void pump(Socket s) {
        byte[] buf = new byte[CHUNK];
        try (InputStream in = s.getInputStream()) {
            int n;
            while ((n = in.read(buf)) > 0) {
                out.send(PayloadType.OUTPUT, java.util.Arrays.copyOf(buf, n));
            }
        } catch (IOException e) {
            LOG.debug("session {}: connection to {} ended: {}", sessionId, target, e.getMessage());
        } catch (IllegalStateException e) {
            return;
        }
        boolean current;
        synchronized (lock) {
            current = socket == s;
            if (current) {
                socket = null;
            }
        }
        close(s);
        if (current && stdio) {
            out.end("");
        }
    }

    @Override
    public void onInput(long payloadType, byte[] payload) {
        if (payloadType == PayloadType.FLAG.wire()) {
            long flag = Flags.decode(payload);
            if (flag == Flags.DISCONNECT_TO_PORT) {
                Socket s;
                synchronized (lock) {
                    s = socket;
                    socket = null;
                }
                close(s);
            } else if (flag == Flags.TERMINATE_SESSION) {
                out.end("");
            }
            return;
        }
        if (payloadType != PayloadType.OUTPUT.wire()) {
            return;
        }
        Socket s;
        synchronized (lock) {
            s = socket;
        }
        try {
            if (s == null) {
                s = dial();
            }
            s.getOutputStream().write(payload);
        } catch (IOException e) {
            LOG.info("session {}: cannot write to {}: {}", sessionId, target, e.getMessage());
        }
    }

    private static void close(Socket s) {
        if (s != null) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing
            }
        }
    }

    @Override
    public void stop() {
        Socket s;
        synchronized (lock) {
            stopped = true;
            s = socket;
            socket = null;
        }
        close(s);
    }
}
