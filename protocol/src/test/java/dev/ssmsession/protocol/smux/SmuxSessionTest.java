package dev.ssmsession.protocol.smux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("pure")
class SmuxSessionTest {
    private static final HexFormat HEX = HexFormat.of();
    private static final SmuxConfig BIG_OUT = SmuxConfig.builder().maxOutgoingBuffer(4 << 20).build();

    /** A session fed by hand-written bytes; what it sends is collected as hex. */
    private static final class Scripted {
        final long[] now = {0};
        final List<String> out = new ArrayList<>();
        final List<Recorder> accepted = new ArrayList<>();
        final List<Optional<SmuxException>> closes = new ArrayList<>();
        final SmuxSession session;

        Scripted(SmuxSession.Role role, SmuxConfig config, boolean accept) {
            SmuxSessionHandler handler = new SmuxSessionHandler() {
                @Override
                public SmuxStreamListener onAccept(SmuxStream stream) {
                    if (!accept) {
                        return null;
                    }
                    Recorder r = new Recorder(true);
                    r.stream = stream;
                    accepted.add(r);
                    return r;
                }

                @Override
                public void onClosed(Optional<SmuxException> error) {
                    closes.add(error);
                }
            };
            SmuxSink sink = frame -> {
                out.add(HEX.formatHex(frame));
                sessionRef[0].outputWritten(frame.length);
            };
            session = role == SmuxSession.Role.CLIENT
                    ? SmuxSession.client(config, () -> now[0], sink, handler)
                    : SmuxSession.server(config, () -> now[0], sink, handler);
            sessionRef[0] = session;
        }

        private final SmuxSession[] sessionRef = new SmuxSession[1];

        void feed(String hex) {
            byte[] b = HEX.parseHex(hex);
            session.onInput(b, 0, b.length);
        }

        void advanceSeconds(double s) {
            now[0] += (long) (s * 1_000_000_000L);
        }
    }

    private static byte[] bytes(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    @Test
    void clientOpensOddIdsFromThreeAndServerEvenIdsFromTwo() {
        Scripted c = new Scripted(SmuxSession.Role.CLIENT, SmuxConfig.defaults(), false);
        assertThat(List.of(c.session.openStream(new Recorder(true)).id(), c.session.openStream(new Recorder(true)).id(),
                c.session.openStream(new Recorder(true)).id())).containsExactly(3L, 5L, 7L);
        assertThat(c.out).containsExactly("0100000003000000", "0100000005000000", "0100000007000000");

        Scripted s = new Scripted(SmuxSession.Role.SERVER, SmuxConfig.builder().version(SmuxVersion.V2).build(), false);
        assertThat(s.session.openStream(new Recorder(true)).id()).isEqualTo(2);
        assertThat(s.session.openStream(new Recorder(true)).id()).isEqualTo(4);
        assertThat(s.out).containsExactly("0200000002000000", "0200000004000000");
    }

    @Test
    void streamIdsRunOutAtTheUint32Limit() {
        Scripted c = new Scripted(SmuxSession.Role.CLIENT, SmuxConfig.defaults(), false);
        c.session.lastId = 0xFFFF_FFFBL; // white-box: 2^31 opens would take too long
        assertThat(c.session.openStream(new Recorder(true)).id()).isEqualTo(0xFFFF_FFFDL);
        assertThat(c.session.openStream(new Recorder(true)).id()).isEqualTo(0xFFFF_FFFFL);
        assertThat(c.out).containsExactly("01000000fdffffff", "01000000ffffffff");
        assertThatThrownBy(() -> c.session.openStream(new Recorder(true))).isInstanceOf(SmuxException.class)
                .hasMessageContaining("exhausted");
        assertThat(c.session.isOpen()).as("existing streams keep working").isTrue();
    }

    @Test
    void largeWritesAreSplitIntoMaxFrameSizePshFrames() {
        Scripted c = new Scripted(SmuxSession.Role.CLIENT, BIG_OUT, false);
        SmuxStream s = c.session.openStream(new Recorder(true));
        byte[] data = bytes(100_000, 1);
        assertThat(s.write(data, 0, data.length)).isEqualTo(100_000);
        assertThat(c.out).hasSize(5);
        // 32768 = 0x8000 → "0080" little-endian; 100000 - 3 * 32768 = 1696 = 0x06a0 → "a006".
        assertThat(c.out.subList(1, 5)).extracting(h -> h.substring(0, 16))
                .containsExactly("0102008003000000", "0102008003000000", "0102008003000000", "0102a00603000000");
        byte[] joined = HEX.parseHex(c.out.get(1).substring(16) + c.out.get(2).substring(16) + c.out.get(3).substring(16)
                + c.out.get(4).substring(16));
        assertThat(joined).isEqualTo(data);
        assertThat(s.write(data, 0, 0)).isZero();
        assertThat(c.out).hasSize(5);
    }

    @Test
    void v2WindowExhaustionBlocksTheWriterUntilThePeerConsumesAndSendsUpd() {
        Pair p = new Pair(BIG_OUT.toBuilder().version(SmuxVersion.V2).build());
        Recorder clientSide = new Recorder(true);
        SmuxStream s = p.client.openStream(clientSide);
        byte[] data = bytes(400_000, 2);
        // Before any UPD the peer window is xtaci's initialPeerWindow, 262144.
        assertThat(s.write(data, 0, data.length)).isEqualTo(262_144);
        assertThat(s.write(data, 262_144, 1000)).isZero();
        p.flush();
        Recorder serverSide = p.accepted.get(0);
        assertThat(serverSide.data.size()).isEqualTo(262_144);
        assertThat(p.toClient.sent(SmuxCommand.UPD)).as("no credit before consumed").isEmpty();

        serverSide.held -= 1000;
        serverSide.stream.consumed(1000);
        // First read → UPD(consumed 1000 = 0x3e8, window 65536).
        assertThat(p.toClient.sent(SmuxCommand.UPD)).containsExactly(SmuxFrame.upd(3, 1000, 65536));
        assertThat(HEX.formatHex(SmuxFrameCodec.encode(p.toClient.sent(SmuxCommand.UPD).get(0))))
                .isEqualTo("02040800" + "03000000" + "e8030000" + "00000100");
        p.flush();
        // 261144 still in flight exceeds the new 65536 window: still blocked, no wake-up.
        assertThat(clientSide.writable).isZero();
        assertThat(s.write(data, 262_144, 1000)).isZero();

        serverSide.consumeAll();
        assertThat(p.toClient.sent(SmuxCommand.UPD)).last().isEqualTo(SmuxFrame.upd(3, 262_144, 65536));
        p.flush();
        assertThat(clientSide.writable).isEqualTo(1);
        assertThat(s.write(data, 262_144, data.length - 262_144)).isEqualTo(65_536);
        p.flush();
        assertThat(serverSide.data.toByteArray()).isEqualTo(Arrays.copyOf(data, 262_144 + 65_536));
    }

    @Test
    void v2SendsUpdAfterEveryHalfStreamBufferConsumed() {
        Pair p = new Pair(BIG_OUT.toBuilder().version(SmuxVersion.V2).build());
        SmuxStream s = p.client.openStream(new Recorder(true));
        byte[] data = bytes(200_000, 3);
        assertThat(s.write(data, 0, data.length)).isEqualTo(200_000);
        p.flush();
        SmuxStream at = p.accepted.get(0).stream;
        at.consumed(10);          // first read: UPD
        at.consumed(32_767);      // incr 32767 < 32768: none
        at.consumed(1);           // incr 32768: UPD
        at.consumed(40_000);      // UPD
        assertThat(p.toClient.sent(SmuxCommand.UPD)).extracting(SmuxFrame::updConsumed).containsExactly(10L, 32_778L, 72_778L);
    }

    @Test
    void v2UpdClaimingMoreConsumedThanSentFailsTheWriteNamingBothCounts() {
        Scripted c = new Scripted(SmuxSession.Role.CLIENT, SmuxConfig.builder().version(SmuxVersion.V2).build(), false);
        Recorder r = new Recorder(true);
        SmuxStream s = c.session.openStream(r);
        assertThat(s.write(new byte[300_000], 0, 300_000)).isEqualTo(262_144);
        // UPD sid 3: consumed 262145 (0x040001), window 65536.
        c.feed("02040800" + "03000000" + "01000400" + "00000100");
        assertThat(r.writable).as("woken so that its next write reports the error").isEqualTo(1);
        assertThatThrownBy(() -> s.write(new byte[1], 0, 1)).isInstanceOf(SmuxException.class)
                .hasMessageContaining("262145").hasMessageContaining("262144");
        assertThat(c.session.isOpen()).isTrue();
    }

    @Test
    void v2WindowArithmeticWrapsAroundTheUint32Counters() {
        Scripted c = new Scripted(SmuxSession.Role.CLIENT, SmuxConfig.builder().version(SmuxVersion.V2).build(), false);
        SmuxStream s = c.session.openStream(new Recorder(true));
        // White-box: 4 GiB + 100 bytes already sent (too slow to push for real); the peer's last UPD
        // said 0xffffff00 consumed, i.e. before the wrap. In flight: 0x100 + 100 = 356 bytes.
        s.numWritten = (1L << 32) + 100;
        c.feed("02040800" + "03000000" + "00ffffff" + "00000100");
        assertThat(s.write(new byte[100_000], 0, 100_000)).isEqualTo(65536 - 356);
    }

    @Test
    void v1ReceiveBufferExhaustionStopsDeliveryUntilConsumed() {
        Pair p = new Pair(BIG_OUT.toBuilder().maxReceiveBuffer(100_000).build());
        SmuxStream s = p.client.openStream(new Recorder(true));
        byte[] data = bytes(300_000, 4);
        assertThat(s.write(data, 0, data.length)).isEqualTo(300_000); // v1: no per-stream window
        p.flush();
        Recorder r = p.accepted.get(0);
        // Decoding stops after the frame that fills the 100000-byte bucket: 4 × 32768 delivered.
        assertThat(r.data.size()).isEqualTo(131_072);
        assertThat(p.server.isInputPaused()).isTrue();
        // Wire: SYN 8 + 10 PSH (9 × 32768 + 5088) with 8-byte headers = 300088; decoded 8 + 4 × 32776.
        assertThat(p.server.pendingInputBytes()).isEqualTo(300_088 - 8 - 4 * 32_776);

        // Nothing arrives while paused, yet keepalive must not close the session (Go: bucket exhausted).
        p.now[0] += 31_000_000_000L;
        p.server.tick(); // the SYN and PSH frames arrived in this window
        p.now[0] += 31_000_000_000L;
        p.server.tick(); // nothing arrived in this one, but input is paused by us, not silent
        assertThat(p.server.isOpen()).isTrue();

        r.held -= 50_000;
        r.stream.consumed(50_000);
        assertThat(r.data.size()).as("one more frame, then full again").isEqualTo(163_840);
        assertThat(p.server.isInputPaused()).isTrue();
        while (r.data.size() < 300_000) {
            int before = r.data.size();
            r.consumeAll();
            assertThat(r.data.size()).isGreaterThan(before);
        }
        r.consumeAll();
        assertThat(r.data.toByteArray()).isEqualTo(data);
        assertThat(p.server.isInputPaused()).isFalse();
        assertThat(p.server.pendingInputBytes()).isZero();
    }

    @Test
    void closingAStreamReturnsItsUnconsumedBytesToTheReceiveBuffer() {
        Pair p = new Pair(BIG_OUT.toBuilder().maxReceiveBuffer(40_000).maxStreamBuffer(40_000).build());
        SmuxStream a = p.client.openStream(new Recorder(true));
        byte[] data = bytes(50_000, 5);
        a.write(data, 0, data.length);
        p.flush();
        assertThat(p.server.isInputPaused()).isTrue();
        SmuxStream b = p.client.openStream(new Recorder(true));
        b.write(data, 0, 10);
        p.flush();
        Recorder ra = p.accepted.get(0);
        assertThat(p.accepted).hasSize(1);
        ra.stream.close(); // never consumed: closing must free the bucket
        assertThat(p.server.isInputPaused()).isFalse();
        assertThat(p.accepted).hasSize(2);
        assertThat(p.accepted.get(1).data.toByteArray()).isEqualTo(Arrays.copyOf(data, 10));
    }

    @Test
    void finDeliversEndOfStreamAfterDataAndCloseSendsFinOnceAndForgets() {
        Pair p = new Pair(SmuxConfig.defaults());
        Recorder clientSide = new Recorder(true);
        SmuxStream s = p.client.openStream(clientSide);
        byte[] hello = "hello".getBytes(StandardCharsets.US_ASCII);
        s.write(hello, 0, hello.length);
        s.close();
        s.close();
        assertThat(s.isOpen()).isFalse();
        assertThatThrownBy(() -> s.write(hello, 0, 1)).isInstanceOf(SmuxException.class).hasMessageContaining("stream 3 is closed");
        assertThat(clientSide.events).containsExactly("closed");
        assertThat(clientSide.closes).containsExactly(Optional.empty());
        p.flush();
        assertThat(p.toServer.sent(SmuxCommand.FIN)).containsExactly(SmuxFrame.fin(SmuxVersion.V1, 3));

        Recorder serverSide = p.accepted.get(0);
        assertThat(serverSide.events).containsExactly("data 5", "eof");
        assertThat(serverSide.stream.isRemoteFinished()).isTrue();
        assertThat(serverSide.stream.isOpen()).as("FIN ends reading only").isTrue();
        // The client forgot stream 3: the server's late data and FIN are discarded there.
        assertThat(serverSide.stream.write(hello, 0, 4)).isEqualTo(4);
        serverSide.stream.close();
        p.flush();
        assertThat(clientSide.events).containsExactly("closed");
        assertThat(serverSide.closes).containsExactly(Optional.empty());
        assertThat(p.client.streamCount()).isZero();
        assertThat(p.server.streamCount()).isZero();
        assertThat(p.client.isOpen()).isTrue();
    }

    @Test
    void synForAnExistingIdIsIgnoredUnknownDataDiscardedNopAcceptedAnywhere() {
        Scripted srv = new Scripted(SmuxSession.Role.SERVER, SmuxConfig.defaults(), true);
        srv.feed("0100000003000000"          // SYN 3
                + "0103000007000000"          // NOP with a stray sid
                + "0100000003000000"          // SYN 3 again: ignored
                + "0102020009000000" + "7a7a" // PSH to unknown 9: discarded
                + "0102000003000000"          // PSH len 0: ignored
                + "0102020003000000" + "6162" // PSH 3 "ab"
                + "0103000000000000"          // NOP
                + "0101000003000000"          // FIN 3
                + "0102020003000000" + "6364"); // PSH after FIN: discarded
        assertThat(srv.accepted).hasSize(1);
        assertThat(srv.accepted.get(0).events).containsExactly("data 2", "eof");
        assertThat(srv.accepted.get(0).data.toString(StandardCharsets.US_ASCII)).isEqualTo("ab");
        assertThat(srv.session.isOpen()).isTrue();
        assertThat(srv.out).isEmpty();
    }

    /** Feeds more input from inside onData of the first frame, as an owner on the same thread might. */
    private static String reentrantFeed(SmuxConfig config, boolean consume) {
        long[] now = {0};
        StringBuilder got = new StringBuilder();
        SmuxSession[] session = new SmuxSession[1];
        byte[] later = HEX.parseHex("0102010003000000" + "63"); // PSH 3 "c"
        SmuxStream[] accepted = new SmuxStream[1];
        session[0] = SmuxSession.server(config, () -> now[0], frame -> { }, new SmuxSessionHandler() {
            @Override
            public SmuxStreamListener onAccept(SmuxStream stream) {
                accepted[0] = stream;
                return (s, b, off, len) -> {
                    got.append(new String(b, off, len, StandardCharsets.US_ASCII));
                    if (consume) {
                        s.consumed(len);
                    }
                    if (got.length() == 1) {
                        session[0].onInput(later, 0, later.length);
                    }
                };
            }
        });
        byte[] first = HEX.parseHex("0100000003000000" + "0102010003000000" + "61" + "0102010003000000" + "62"
                + "0102010003000000" + "78"); // SYN 3, PSH "a", PSH "b", PSH "x"
        session[0].onInput(first, 0, first.length);
        if (!consume) {
            accepted[0].consumed(2);
            accepted[0].consumed(2);
        }
        return got.toString();
    }

    @Test
    void inputFedFromInsideACallbackKeepsByteOrder() {
        assertThat(reentrantFeed(SmuxConfig.defaults(), true)).isEqualTo("abxc");
        // Receive buffer of 2 bytes: input pauses after "b", the rest of the first chunk still precedes "c".
        assertThat(reentrantFeed(SmuxConfig.builder().maxReceiveBuffer(2).maxStreamBuffer(1).build(), false)).isEqualTo("abxc");
    }

    @Test
    void aRefusedStreamIsAnsweredWithFin() {
        Scripted c = new Scripted(SmuxSession.Role.CLIENT, SmuxConfig.defaults(), false);
        c.feed("0100000002000000" + "0102010002000000" + "ff");
        assertThat(c.out).containsExactly("0101000002000000");
        assertThat(c.session.streamCount()).isZero();
    }

    @Test
    void keepaliveSendsNopEveryIntervalAndClosesAfterTimeoutWithoutInput() {
        Scripted c = new Scripted(SmuxSession.Role.CLIENT, SmuxConfig.defaults(), false);
        Recorder r = new Recorder(true);
        c.session.openStream(r);
        c.out.clear();
        assertThat(c.session.nextDeadlineNanos()).hasValue(10_000_000_000L);
        c.advanceSeconds(9.999);
        c.session.tick();
        assertThat(c.out).isEmpty();
        c.advanceSeconds(0.001);
        c.session.tick();
        assertThat(c.out).containsExactly("0103000000000000");
        assertThat(c.session.nextDeadlineNanos()).hasValue(20_000_000_000L);
        c.advanceSeconds(5);
        c.feed("0103000000000000"); // the peer's NOP at 15 s
        for (int t = 20; t <= 50; t += 10) {
            c.now[0] = t * 1_000_000_000L;
            c.session.tick();
        }
        assertThat(c.session.isOpen()).as("a frame arrived in the first 30 s window").isTrue();
        assertThat(c.out).hasSize(5);
        c.now[0] = 60_000_000_000L;
        c.session.tick();
        assertThat(c.session.isOpen()).isFalse();
        assertThat(r.closes).hasSize(1);
        assertThat(r.closes.get(0)).get().extracting(Throwable::getMessage).asString()
                .contains("keepalive timeout").contains("30000 ms");
        assertThat(c.closes).containsExactly(r.closes.get(0));
        assertThat(c.session.nextDeadlineNanos()).isEmpty();
    }

    @Test
    void keepaliveDeadlinesSurviveATickerThatWraps() {
        long start = Long.MAX_VALUE - 5_000_000_000L;
        long[] now = {start};
        List<String> out = new ArrayList<>();
        SmuxSession s = SmuxSession.client(SmuxConfig.defaults(), () -> now[0], f -> out.add(HEX.formatHex(f)),
                new SmuxSessionHandler() { });
        assertThat(s.nextDeadlineNanos()).hasValue(start + 10_000_000_000L); // wrapped to a negative value
        now[0] = start + 9_000_000_000L;
        s.tick();
        assertThat(out).isEmpty();
        now[0] = start + 10_000_000_000L;
        s.tick();
        assertThat(out).containsExactly("0103000000000000");
        now[0] = start + 30_000_000_000L;
        s.tick();
        assertThat(s.isOpen()).isFalse();
    }

    @Test
    void keepaliveOffSendsNothingAndNeverTimesOut() {
        Scripted c = new Scripted(SmuxSession.Role.CLIENT, SmuxConfig.builder().keepAlive(false).build(), false);
        assertThat(c.session.nextDeadlineNanos()).isEmpty();
        for (int i = 0; i < 360; i++) {
            c.advanceSeconds(10);
            c.session.tick();
        }
        assertThat(c.out).isEmpty();
        assertThat(c.session.isOpen()).isTrue();
    }

    @Test
    void aCorruptFrameEndsTheSessionAndEveryOpenStreamHearsTheError() {
        Scripted c = new Scripted(SmuxSession.Role.CLIENT, SmuxConfig.defaults(), false);
        List<Recorder> recorders = List.of(new Recorder(true), new Recorder(true), new Recorder(true));
        List<SmuxStream> streams = recorders.stream().map(c.session::openStream).toList();
        c.feed("0102020003000000" + "6869" + "0902000003000000");
        assertThat(recorders.get(0).data.toString(StandardCharsets.US_ASCII)).as("data before the error is kept").isEqualTo("hi");
        assertThat(c.session.isOpen()).isFalse();
        SmuxException error = c.session.failure().orElseThrow();
        assertThat(error).isInstanceOf(SmuxProtocolException.class).hasMessageContaining("version 9");
        for (Recorder r : recorders) {
            assertThat(r.closes).containsExactly(Optional.of(error));
        }
        assertThat(c.closes).containsExactly(Optional.of(error));
        c.feed("0103000000000000"); // ignored, no exception
        assertThatThrownBy(() -> streams.get(1).write(new byte[1], 0, 1)).isInstanceOf(SmuxException.class)
                .hasMessageContaining("version 9");
        assertThatThrownBy(() -> c.session.openStream(new Recorder(true))).isInstanceOf(SmuxException.class)
                .hasMessageContaining("failed");
    }

    @Test
    void fullOutgoingBufferMakesWritesReturnZeroUntilOutputIsReportedWritten() {
        Pair p = new Pair(SmuxConfig.builder().maxOutgoingBuffer(1000).build());
        p.toServer.reportWritten = false;
        Recorder r = new Recorder(true);
        SmuxStream s = p.client.openStream(r); // SYN: 8 bytes outstanding
        byte[] data = bytes(5000, 6);
        assertThat(s.write(data, 0, data.length)).isEqualTo(1000 - 8 - 8);
        assertThat(s.write(data, 984, 100)).isZero();
        assertThat(p.client.outstandingOutputBytes()).isEqualTo(1000);
        p.client.outputWritten(500);
        assertThat(r.writable).isEqualTo(1);
        assertThat(s.write(data, 984, 1000)).isEqualTo(492);
        assertThatThrownBy(() -> p.client.outputWritten(1001)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1001").hasMessageContaining("1000");
    }

    @Test
    void consumingMoreThanDeliveredIsRejected() {
        Pair p = new Pair(SmuxConfig.defaults());
        SmuxStream s = p.client.openStream(new Recorder(true));
        s.write(new byte[10], 0, 10);
        p.flush();
        SmuxStream at = p.accepted.get(0).stream;
        assertThatThrownBy(() -> at.consumed(11)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("consumed(11)").hasMessageContaining("10 bytes");
        assertThatThrownBy(() -> at.consumed(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void sessionCloseSendsFinForEveryStreamAndClosesThem() {
        Pair p = new Pair(SmuxConfig.defaults());
        Recorder a = new Recorder(true);
        Recorder b = new Recorder(true);
        p.client.openStream(a);
        p.client.openStream(b);
        p.flush();
        p.server.close();
        p.server.close();
        assertThat(p.toClient.sent(SmuxCommand.FIN)).containsExactly(SmuxFrame.fin(SmuxVersion.V1, 3), SmuxFrame.fin(SmuxVersion.V1, 5));
        assertThat(p.accepted).allSatisfy(r -> assertThat(r.closes).containsExactly(Optional.empty()));
        assertThat(p.serverCloses).containsExactly(Optional.empty());
        p.flush();
        assertThat(a.events).containsExactly("eof");
        assertThat(b.events).containsExactly("eof");
        p.client.close();
        assertThat(a.events).containsExactly("eof", "closed");
    }

    @Test
    void configRejectsOutOfRangeValuesNamingThem() {
        assertThatThrownBy(() -> SmuxConfig.builder().maxFrameSize(65536).build()).hasMessageContaining("65536");
        assertThatThrownBy(() -> SmuxConfig.builder().maxStreamBuffer(5 << 20).build()).hasMessageContaining("maxStreamBuffer");
        assertThatThrownBy(() -> SmuxConfig.builder().keepAliveTimeout(java.time.Duration.ofSeconds(5)).build())
                .hasMessageContaining("keepAliveTimeout");
        SmuxConfig d = SmuxConfig.defaults();
        assertThat(List.of(d.version(), d.maxFrameSize(), d.maxReceiveBuffer(), d.maxStreamBuffer(), d.keepAlive()))
                .containsExactly(SmuxVersion.V1, 32768, 4 << 20, 65536, true);
        assertThat(d.keepAliveInterval()).hasSeconds(10);
        assertThat(d.keepAliveTimeout()).hasSeconds(30);
    }
}
