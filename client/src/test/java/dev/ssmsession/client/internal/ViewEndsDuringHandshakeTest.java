package dev.ssmsession.client.internal;

import dev.ssmsession.client.SessionException;
import dev.ssmsession.client.SessionToken;
import dev.ssmsession.protocol.channel.DataChannelConfig;
import dev.ssmsession.protocol.payload.TerminalSize;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A view bound while the handshake runs (the agent has not said what the session is) must end
 * its streams when the session ends before the type is known: the view never starts.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ViewEndsDuringHandshakeTest {
    private LoopbackWebSocketServer server;
    private FakeSsm ssm;
    private ScheduledExecutorService scheduler;
    private ExecutorService io;

    @BeforeEach
    void start() throws Exception {
        server = new LoopbackWebSocketServer().startAndWait();
        ssm = new FakeSsm();
        scheduler = Executors.newScheduledThreadPool(1);
        io = Executors.newCachedThreadPool();
    }

    @AfterEach
    void stop() throws Exception {
        scheduler.shutdownNow();
        io.shutdownNow();
        ssm.close();
        server.stop(1000);
    }

    /** Connected, OpenDataChannel sent, and the "agent" (this server) never answers it. */
    private ChannelSession handshaking() throws Exception {
        TransportContext ctx = new TransportContext(
                new WebSocketConnection.Settings(CaBundle.sslContext(null), null, 5000, 1 << 20),
                u -> u, () -> AwsSessionCredentials.create("AKID", "SECRET", "TOKEN"), "eu-west-1", true,
                new UpgradeSigner(Clock.systemUTC()), new SsmApi(ssm.client), UUID.randomUUID(), "1.2.764.0",
                Duration.ofSeconds(20), Duration.ofMinutes(5), scheduler, io, System::nanoTime);
        SessionToken token = new SessionToken("s-1", "TOKEN-A",
                URI.create(server.url("/v1/data-channel/s-1?role=publish_subscribe")));
        ChannelSession channel = ChannelSession.create(ctx, token, null, null, DataChannelConfig.builder().build());
        channel.connect();
        assertThat(server.texts.poll(10, TimeUnit.SECONDS)).as("OpenDataChannel").contains("TOKEN-A");
        return channel;
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
