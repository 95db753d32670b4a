package dev.ssmsession.client.internal;

import dev.ssmsession.protocol.channel.DataChannelConfig;
import dev.ssmsession.protocol.message.PayloadType;
import dev.ssmsession.protocol.payload.TerminalSize;
import org.java_websocket.WebSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A caller's stage on {@code info()} or {@code ended()} that blocks runs on the I/O executor: the WebSocket
 * reader keeps delivering and the shared scheduler keeps ticking other sessions.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CallbackThreadsTest {
    private ScriptedPeer peer;
    private final CountDownLatch release = new CountDownLatch(1);

    @BeforeEach
    void start() throws Exception {
        peer = new ScriptedPeer();
    }

    @AfterEach
    void stop() throws Exception {
        release.countDown();
        peer.close();
    }

    /** A shell session whose type is known, and the agent's end of its connection. */
    private record Shell(ChannelSession channel, ShellHandler handler, WebSocket agent) {
    }

    private Shell shell(String sessionId, DataChannelConfig config, boolean awaitInfo) throws Exception {
        ChannelSession channel = peer.connect(sessionId, "TOKEN-" + sessionId, config);
        WebSocket agent = peer.server.opened.take();
        ShellHandler h = new ShellHandler(channel, ShellHandler.Kind.SHELL, new TerminalSize(80, 24));
        channel.install(h, info -> { });
        if (awaitInfo) {
            agent.send(ScriptedPeer.output(0, "$ "));
            channel.info().get(10, TimeUnit.SECONDS);
        }
        return new Shell(channel, h, agent);
    }

    /** Runs on the completing thread: says where it is, then blocks until the test ends. */
    private void blockIn(CompletableFuture<String> where) {
        where.complete(Thread.currentThread().getName() + (ManagerThreads.isScheduler() ? " (scheduler)" : ""));
        try {
            release.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void aBlockingInfoCallbackDoesNotStallTheReader() throws Exception {
        Shell a = shell("s-a", DataChannelConfig.builder().build(), false);
        CompletableFuture<String> where = new CompletableFuture<>();
        a.channel().info().whenComplete((info, e) -> blockIn(where));
        InputStream stdout = a.handler().stdout();

        a.agent().send(ScriptedPeer.output(0, "one "));  // the type is known from this one: info() completes
        a.agent().send(ScriptedPeer.output(1, "two"));

        String callbackThread = where.get(10, TimeUnit.SECONDS);
        assertThat(readExactly(stdout, "one two".length()).get(10, TimeUnit.SECONDS)).isEqualTo("one two");
        assertThat(callbackThread).startsWith("test-io-");
        a.channel().abandon();
    }

    @Test
    void aBlockingEndedCallbackOfOneSessionDoesNotStallTheTicksOfAnother() throws Exception {
        peer.ssm.reply("TerminateSession", 200, "{\"SessionId\":\"s-a\"}");
        // A gives up (on a scheduler tick) when its output is never acknowledged.
        Shell a = shell("s-a", DataChannelConfig.builder().giveUpAfter(Duration.ofMillis(300)).build(), true);
        // B's output is paced: beyond the pacer's burst credit only scheduler ticks send it.
        Shell b = shell("s-b", DataChannelConfig.builder().chunkSize(16).messagesPerSecond(200).build(), true);
        ScriptedPeer.Received received = new ScriptedPeer.Received();
        peer.server.onBinary = (conn, frame) -> {
            ScriptedPeer.Input in = ScriptedPeer.Input.parse(frame);
            if (in != null && conn == b.agent()) {
                received.add(conn, in);
                conn.send(ScriptedPeer.ack(in.sequence()));
            }
        };
        CompletableFuture<String> where = new CompletableFuture<>();
        a.channel().ended().whenComplete((end, e) -> blockIn(where));

        a.handler().stdin(() -> { }).write('x');
        String callbackThread = where.get(10, TimeUnit.SECONDS);
        assertThat(peer.ssm.calls.poll(10, TimeUnit.SECONDS)).isEqualTo("TerminateSession");

        b.handler().stdin(() -> { }).write(new byte[400]);  // 25 messages
        received.await(0, ins -> ins.stream().filter(in -> in.payloadType() == PayloadType.OUTPUT.wire())
                .mapToInt(ScriptedPeer.Input::payloadLength).sum() >= 400);
        assertThat(callbackThread).startsWith("test-io-");
        b.channel().abandon();
    }

    /** Reads {@code n} bytes on another thread (a stalled reader makes this time out rather than hang the test). */
    private CompletableFuture<String> readExactly(InputStream in, int n) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return new String(in.readNBytes(n), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }, peer.io);
    }
}
