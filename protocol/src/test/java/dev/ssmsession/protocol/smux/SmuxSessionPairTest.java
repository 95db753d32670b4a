package dev.ssmsession.protocol.smux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Client and server sessions back to back over in-memory pipes with random chunking: many streams,
 * MiBs each way, consumers that report {@code consumed} late and in random amounts. Writers resume
 * only on {@code onWritable}, so a lost wake-up stalls the test and fails it.
 */
@Tag("pure")
class SmuxSessionPairTest {
    private static final int STREAMS = 8;
    private static final int BYTES_PER_STREAM = 384 * 1024;

    /** One end of one stream: sends its own bytes, keeps what it receives, consumes when told. */
    private static final class App implements SmuxStreamListener {
        byte[] toSend;
        final ByteArrayOutputStream received = new ByteArrayOutputStream();
        final int writeChunk;
        SmuxStream stream;
        int sent;
        int blocked;
        long held;
        boolean eof;
        boolean closeOnEof;
        List<Optional<SmuxException>> closes = new ArrayList<>();

        App(byte[] toSend, int writeChunk) {
            this.toSend = toSend;
            this.writeChunk = writeChunk;
        }

        void flush() {
            while (sent < toSend.length) {
                int n = stream.write(toSend, sent, Math.min(writeChunk, toSend.length - sent));
                if (n == 0) {
                    blocked++;
                    return;
                }
                sent += n;
            }
        }

        @Override
        public void onData(SmuxStream s, byte[] b, int off, int len) {
            received.write(b, off, len);
            held += len;
        }

        @Override
        public void onEndOfStream(SmuxStream s) {
            eof = true;
            if (closeOnEof) {
                s.close();
            }
        }

        @Override
        public void onWritable(SmuxStream s) {
            flush();
        }

        @Override
        public void onClosed(SmuxStream s, Optional<SmuxException> error) {
            closes.add(error);
        }
    }

    static Stream<Arguments> configs() {
        SmuxConfig small = SmuxConfig.builder().maxFrameSize(1000).maxReceiveBuffer(48 * 1024).maxStreamBuffer(16 * 1024)
                .maxOutgoingBuffer(20_000).build();
        return Stream.of(
                Arguments.of("v1 defaults", SmuxConfig.defaults()),
                Arguments.of("v2 defaults", SmuxConfig.builder().version(SmuxVersion.V2).build()),
                Arguments.of("v1 small buffers", small),
                Arguments.of("v2 small buffers", small.toBuilder().version(SmuxVersion.V2).build()));
    }

    private static byte[] payload(long seed, int n) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void everyByteArrivesExactlyOnceAndInOrderPerStream(String name, SmuxConfig config) {
        Random random = new Random(name.hashCode());
        long[] now = {0};
        Link toServer = new Link(config.version());
        Link toClient = new Link(config.version());
        Map<Long, App> serverApps = new LinkedHashMap<>();
        SmuxSession client = SmuxSession.client(config, () -> now[0], toServer::add, new SmuxSessionHandler() { });
        SmuxSession server = SmuxSession.server(config, () -> now[0], toClient::add, new SmuxSessionHandler() {
            @Override
            public SmuxStreamListener onAccept(SmuxStream stream) {
                App app = new App(payload(~stream.id(), BYTES_PER_STREAM), 7000);
                app.stream = stream;
                app.closeOnEof = true;
                serverApps.put(stream.id(), app);
                app.flush(); // writing before the listener is returned must work too
                return app;
            }
        });
        toServer.connect(client, server);
        toClient.connect(server, client);

        Map<Long, App> clientApps = new LinkedHashMap<>();
        for (int i = 0; i < STREAMS; i++) {
            App app = new App(null, 5000);
            SmuxStream s = client.openStream(app);
            app.toSend = payload(s.id(), BYTES_PER_STREAM);
            app.stream = s;
            clientApps.put(s.id(), app);
        }
        assertThat(clientApps.keySet()).containsExactly(3L, 5L, 7L, 9L, 11L, 13L, 15L, 17L);
        clientApps.values().forEach(App::flush);

        List<App> all = new ArrayList<>(clientApps.values());
        int rounds = 0;
        boolean inputPaused = false;
        while (!done(clientApps, serverApps)) {
            if (++rounds > 1_000_000) {
                fail("no progress: client apps " + describe(clientApps) + " server apps " + describe(serverApps));
            }
            toServer.pump(1 + random.nextInt(9000));
            toClient.pump(1 + random.nextInt(9000));
            inputPaused |= client.isInputPaused() || server.isInputPaused();
            all.clear();
            all.addAll(clientApps.values());
            all.addAll(serverApps.values());
            for (App app : all) {
                if (app.held > 0 && random.nextInt(3) == 0) {
                    int n = (int) (random.nextInt(3) == 0 ? app.held : 1 + random.nextInt((int) app.held));
                    app.held -= n;
                    app.stream.consumed(n);
                }
            }
        }

        for (Map.Entry<Long, App> e : clientApps.entrySet()) {
            App serverSide = serverApps.get(e.getKey());
            assertThat(serverSide.received.toByteArray()).isEqualTo(e.getValue().toSend);
            assertThat(e.getValue().received.toByteArray()).isEqualTo(serverSide.toSend);
        }
        assertThat(client.isOpen()).isTrue();
        assertThat(server.isOpen()).isTrue();
        // Backpressure really happened: writers waited, and with small buffers the receive buffer filled.
        assertThat(all).anySatisfy(a -> assertThat(a.blocked).isPositive());
        if (config.maxReceiveBuffer() == SmuxConfig.DEFAULT_MAX_RECEIVE_BUFFER) {
            assertThat(inputPaused).isFalse();
        } else if (config.version() == SmuxVersion.V1) {
            assertThat(inputPaused).isTrue(); // v1 has only the session bucket to stop a fast sender
        }
        if (config.version() == SmuxVersion.V2) {
            assertThat(toClient.sent(SmuxCommand.UPD)).isNotEmpty();
            assertThat(toServer.sent(SmuxCommand.UPD)).isNotEmpty();
        } else {
            assertThat(toClient.sent(SmuxCommand.UPD)).isEmpty();
        }
        assertThat(toServer.sent(SmuxCommand.PSH)).allSatisfy(f -> assertThat(f.data().length).isBetween(1, config.maxFrameSize()));

        // Client closes every stream: FIN once each; the server closes on EOF, FIN comes back and is ignored.
        clientApps.values().forEach(a -> a.stream.close());
        clientApps.values().forEach(a -> a.stream.close());
        while (toServer.queued() > 0 || toClient.queued() > 0) {
            toServer.pump(1 + random.nextInt(50));
            toClient.pump(1 + random.nextInt(50));
        }
        assertThat(toServer.sent(SmuxCommand.FIN)).hasSize(STREAMS);
        assertThat(toClient.sent(SmuxCommand.FIN)).hasSize(STREAMS);
        assertThat(serverApps.values()).allSatisfy(a -> {
            assertThat(a.eof).isTrue();
            assertThat(a.closes).containsExactly(Optional.empty());
        });
        assertThat(client.streamCount()).isZero();
        assertThat(server.streamCount()).isZero();
        assertThat(client.isInputPaused()).isFalse();
    }

    private static boolean done(Map<Long, App> clientApps, Map<Long, App> serverApps) {
        if (serverApps.size() < clientApps.size()) {
            return false;
        }
        for (App a : clientApps.values()) {
            if (a.received.size() != BYTES_PER_STREAM || a.held != 0 || a.sent != a.toSend.length) {
                return false;
            }
        }
        for (App a : serverApps.values()) {
            if (a.received.size() != BYTES_PER_STREAM || a.held != 0 || a.sent != a.toSend.length) {
                return false;
            }
        }
        return true;
    }

    private static String describe(Map<Long, App> apps) {
        StringBuilder sb = new StringBuilder();
        apps.forEach((id, a) -> sb.append(id).append(": sent ").append(a.sent).append(" recv ").append(a.received.size())
                .append(" held ").append(a.held).append("; "));
        return sb.toString();
    }
}
