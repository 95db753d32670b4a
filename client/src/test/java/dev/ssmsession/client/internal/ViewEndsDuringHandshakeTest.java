package dev.ssmsession.client.internal;

import dev.ssmsession.client.SessionException;
import dev.ssmsession.protocol.channel.DataChannelConfig;
import dev.ssmsession.protocol.payload.TerminalSize;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A view bound while the handshake runs (the agent has not said what the session is) must end
 * its streams when the session ends before the type is known: the view never starts.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ViewEndsDuringHandshakeTest {
    private ScriptedPeer peer;
    private LoopbackWebSocketServer server;
    private FakeSsm ssm;
    private ExecutorService io;

    @BeforeEach
    void start() throws Exception {
        peer = new ScriptedPeer();
        server = peer.server;
        ssm = peer.ssm;
        io = peer.io;
    }

    @AfterEach
    void stop() throws Exception {
        peer.close();
    }

    /** Connected, OpenDataChannel sent, and the "agent" (this server) never answers it. */
    private ChannelSession handshaking() throws Exception {
        return peer.connect("s-1", "TOKEN-A", DataChannelConfig.builder().build());
    }

    private static ShellHandler bindShell(ChannelSession channel) {
        ShellHandler h = new ShellHandler(channel, ShellHandler.Kind.SHELL, new TerminalSize(80, 24));
        channel.install(h, info -> { });
        return h;
    }

    @Test
    void aSessionClosedBeforeItsTypeIsKnownEndsTheViewsStreams() throws Exception {
        ChannelSession channel = handshaking();
        ShellHandler shell = bindShell(channel);
        CompletableFuture<Object> stdout = drain(shell.stdout());
        CompletableFuture<Object> stderr = drain(shell.stderr());
        assertThat(stdout).isNotDone();

        channel.abandon();

        assertThat(stdout.get(10, TimeUnit.SECONDS)).isEqualTo(-1);
        assertThat(stderr.get(10, TimeUnit.SECONDS)).isEqualTo(-1);
        assertThat(channel.ended().get(10, TimeUnit.SECONDS).closedLocally()).isTrue();
    }

    @Test
    void aSessionThatFailsBeforeItsTypeIsKnownFailsTheViewsStreamsWithItsReason() throws Exception {
        ssm.reply("ResumeSession", 200, "{\"SessionId\":\"s-1\"}");  // no token: the service ended it
        ChannelSession channel = handshaking();
        ShellHandler shell = bindShell(channel);
        CompletableFuture<Object> stdout = drain(shell.stdout());

        server.opened.take().closeConnection(1006, "cut");

        Object end = stdout.get(10, TimeUnit.SECONDS);
        assertThat(end).isInstanceOfSatisfying(IOException.class,
                e -> assertThat(e).hasMessageContaining("s-1").hasMessageContaining("timed out"));
        assertThatThrownBy(() -> channel.ended().get(10, TimeUnit.SECONDS))
                .cause().isInstanceOfSatisfying(SessionException.class,
                        e -> assertThat(e.reason()).isEqualTo(SessionException.Reason.SESSION_TIMED_OUT));
    }

    /** Reads to the end on another thread: -1 at EOF, or the IOException the read threw. */
    private CompletableFuture<Object> drain(InputStream in) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                in.readAllBytes();
                return -1;
            } catch (IOException e) {
                return e;
            }
        }, io);
    }
}
