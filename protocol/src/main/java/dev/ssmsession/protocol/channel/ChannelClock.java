package dev.ssmsession.protocol.channel;

/**
 * The time source of a {@link DataChannel}. The engine never reads the system clock itself, so tests
 * drive it on virtual time. The client implements it with {@code System.nanoTime()} and
 * {@code Clock.systemUTC().millis()}.
 */
public interface ChannelClock {
    /**
     * Monotonic nanoseconds for timers (retransmission, pacing, give-up). Only differences are used;
     * the origin is arbitrary and the value may wrap, as with {@code System.nanoTime()}.
     */
    long nanoTime();

    /** Milliseconds since the Unix epoch, written as CreatedDate into every message sent (SPEC §2.1). */
    long epochMillis();
}
