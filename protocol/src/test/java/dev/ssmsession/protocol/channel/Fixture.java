package dev.ssmsession.protocol.channel;

/** One engine on a manual clock with a recording listener. */
final class Fixture {
    final ManualClock clock = new ManualClock();
    final RecordingListener listener = new RecordingListener();
    final DataChannel channel;

    Fixture(ChannelRole role, DataChannelConfig config) {
        channel = DataChannel.create(config, role, clock, new SequentialIds(role.ordinal() + 1), listener);
    }

    static Fixture client() {
        return new Fixture(ChannelRole.CLIENT, DataChannelConfig.builder().messagesPerSecond(0).build());
    }

    static Fixture client(DataChannelConfig config) {
        return new Fixture(ChannelRole.CLIENT, config);
    }

    /** Calls tick() at every deadline up to and including {@code untilNanos} of elapsed virtual time. */
    void runUntil(long untilElapsedNanos) {
        long end = clock.nanoTime() - clock.elapsedNanos() + untilElapsedNanos;
        while (true) {
            var d = channel.nextDeadlineNanos();
            if (d.isEmpty() || d.getAsLong() - end > 0) {
                clock.advanceTo(end);
                channel.tick();
                return;
            }
            if (d.getAsLong() - clock.nanoTime() > 0) {
                clock.advanceTo(d.getAsLong());
            }
            channel.tick();
        }
    }

    /** As {@link #runUntil}, acking every data message as soon as it is sent, as a perfect peer would. */
    void runAcking(long untilElapsedNanos) {
        long end = clock.nanoTime() - clock.elapsedNanos() + untilElapsedNanos;
        int acked = 0;
        while (true) {
            channel.tick();
            var data = listener.dataFrames();
            for (; acked < data.size(); acked++) {
                byte[] x = data.get(acked);
                channel.onFrame(TestFrames.ack(TestFrames.messageType(x), TestFrames.messageId(x), TestFrames.sequenceNumber(x)));
            }
            var d = channel.nextDeadlineNanos();
            if (d.isEmpty() || d.getAsLong() - end > 0) {
                clock.advanceTo(end);
                channel.tick();
                return;
            }
            if (d.getAsLong() - clock.nanoTime() > 0) {
                clock.advanceTo(d.getAsLong());
            }
        }
    }

    void offer(String text) {
        byte[] b = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        int n = channel.offerOutput(b, 0, b.length);
        if (n != b.length) {
            throw new AssertionError("offer accepted " + n + " of " + b.length);
        }
    }

    /** Acks the data frame with this sequence number from the listener's record, as the peer would. */
    void ackSent(long seq) {
        byte[] f = listener.dataFrames().stream().filter(x -> TestFrames.sequenceNumber(x) == seq).findFirst()
                .orElseThrow(() -> new AssertionError("no data frame " + seq + " was sent"));
        channel.onFrame(TestFrames.ack(TestFrames.messageType(f), TestFrames.messageId(f), seq));
    }
}
