package dev.ssmsession.client.internal;

import dev.ssmsession.protocol.channel.DataChannelConfig;
import dev.ssmsession.protocol.message.PayloadType;
import dev.ssmsession.protocol.payload.TerminalSize;
import org.java_websocket.WebSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.OutputStream;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * After a reconnect every message the agent had not acknowledged goes out again exactly once: a second resend
 * pass would double the burst (and, paced, the time until new input gets through).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ReconnectResendTest {
    private ScriptedPeer peer;
    private LoopbackWebSocketServer server;

    @BeforeEach
    void start() throws Exception {
        peer = new ScriptedPeer();
        server = peer.server;
    }

    @AfterEach
    void stop() throws Exception {
        peer.close();
    }

    @Test
    void unackedMessagesAreResentOnceAfterAReconnect() throws Exception {
        peer.resumeWith("s-1", "TOKEN-B");
        ScriptedPeer.Received received = new ScriptedPeer.Received();
        WebSocket[] first = new WebSocket[1];
        server.onBinary = (conn, frame) -> {
            ScriptedPeer.Input in = ScriptedPeer.Input.parse(frame);
            if (in != null) {
                received.add(conn, in);
                if (conn != first[0]) {
                    conn.send(ScriptedPeer.ack(in.sequence()));  // the new connection acks at once: no resend timer fires there
                }
            }
        };
        // Unpaced: a whole resend pass goes out in one flush, before any ack can stop a second one.
        ChannelSession channel = peer.connect("s-1", "TOKEN-A", DataChannelConfig.builder().messagesPerSecond(0).chunkSize(1024).build());
        first[0] = server.opened.take();
        ShellHandler shell = new ShellHandler(channel, ShellHandler.Kind.SHELL, new TerminalSize(80, 24));
        channel.install(shell, info -> { });
        first[0].send(ScriptedPeer.output(0, "$ "));  // a handshake-less shell (SPEC §4.1): known from its first output
        channel.info().get(10, TimeUnit.SECONDS);

        OutputStream stdin = shell.stdin(() -> { });
        stdin.write(new byte[5000]);  // Size + five Output messages, never acknowledged on the first connection
        Set<Long> unacked = ScriptedPeer.sequences(received.await(0, ins -> ins.stream()
                .filter(in -> in.payloadType() == PayloadType.OUTPUT.wire())
                .mapToInt(ScriptedPeer.Input::payloadLength).sum() >= 5000));
        assertThat(unacked).hasSizeGreaterThanOrEqualTo(6);

        first[0].closeConnection(1006, "cut");
        assertThat(server.texts.poll(10, TimeUnit.SECONDS)).as("OpenDataChannel after ResumeSession").contains("TOKEN-B");
        received.await(1, ins -> ScriptedPeer.sequences(ins).containsAll(unacked));
        stdin.write('!');  // a new message, queued behind the resend pass: once it is here, so is all of the pass
        long marker = unacked.size();
        List<ScriptedPeer.Input> second = received.await(1, ins -> ScriptedPeer.sequences(ins).contains(marker));

        assertThat(second.stream().map(ScriptedPeer.Input::sequence).filter(q -> q < marker).toList())
                .as("each un-acked message once, in order").containsExactlyElementsOf(List.copyOf(unacked));
        channel.abandon();
    }
}
