package dev.ssmsession.protocol.channel;

import dev.ssmsession.protocol.message.ClientMessageCodec;
import java.time.Duration;
import java.util.Objects;

/**
 * Immutable settings of a {@link DataChannel}. {@code DataChannelConfig.builder().build()} gives the
 * defaults, which follow the Go plugin (SPEC §6.6, §11) except where ARCHITECTURE says otherwise.
 *
 * @param chunkSize         most plaintext bytes per Output message (default 1024, SPEC §6.6; larger
 *                          chunks are an explicit option because the service's limit is unknown)
 * @param messagesPerSecond data messages sent per second, retransmissions included (default 950, just
 *                          under the service's ~1000/s cap; after an idle spell up to
 *                          {@code max(2, rate/100)} more may go in one second); 0 = unpaced. With
 *                          {@link Pacing#ADAPTIVE} it is where pacing starts, the least it paces at, and
 *                          what it falls back to
 * @param pacing            {@link Pacing#FIXED}: always {@code messagesPerSecond}; {@link Pacing#ADAPTIVE}:
 *                          probe above it while the acks' round trip shows no queue (default
 *                          {@link #DEFAULT_PACING}; a builder given only {@code messagesPerSecond} means
 *                          that fixed rate)
 * @param maxUnacked        most data messages in flight; a full window stops sending and makes
 *                          {@code offerOutput} return 0 (default 10 000, SPEC §6.1 — but nothing is dropped)
 * @param maxPendingBytes   most stream bytes accepted by {@code offerOutput} and not yet sent (default 64 KiB)
 * @param reorderCapacity   most out-of-order messages held; beyond it they are dropped un-acked
 *                          (default 10 000, SPEC §6.5)
 * @param giveUpAfter       how long the oldest data message may stay un-acked before the channel gives
 *                          up (default 300 s, SPEC §6.3's 3000 attempts × 100 ms)
 */
public record DataChannelConfig(
        int chunkSize,
        int messagesPerSecond,
        Pacing pacing,
        int maxUnacked,
        int maxPendingBytes,
        int reorderCapacity,
        Duration giveUpAfter) {

    public static final int DEFAULT_CHUNK_SIZE = 1024;
    public static final int DEFAULT_MESSAGES_PER_SECOND = 950;
    /**
     * What {@link Builder#build()} uses when neither {@code pacing} nor {@code messagesPerSecond} was set:
     * adaptive, because against the testkit's cap it uploads at the cap (1.03 vs 1.0 MB/s fixed, 0 vs 6
     * retransmissions in one bench run) and without a cap it climbs past 10 MB/s.
     */
    public static final Pacing DEFAULT_PACING = Pacing.ADAPTIVE;
    public static final int DEFAULT_MAX_UNACKED = 10_000;
    public static final int DEFAULT_MAX_PENDING_BYTES = 64 * 1024;
    public static final int DEFAULT_REORDER_CAPACITY = 10_000;
    public static final Duration DEFAULT_GIVE_UP_AFTER = Duration.ofSeconds(300);
    /** Room left in a frame for the header and an encryption envelope (nonce + tag, SPEC §5.3). */
    static final int FRAME_RESERVE = ClientMessageCodec.FRAME_OVERHEAD + 64;
    /** Largest payload a message may carry before encryption. */
    public static final int MAX_PAYLOAD_SIZE = ClientMessageCodec.DEFAULT_MAX_FRAME_SIZE - FRAME_RESERVE;

    /**
     * How data messages are spaced. Both keep every message of a session at least
     * {@code messagesPerSecond} apart on average when data is waiting; neither applies to acks.
     */
    public enum Pacing {
        /** Exactly {@code messagesPerSecond} (the 1.0 behaviour). */
        FIXED,
        /**
         * Starts at {@code messagesPerSecond} and probes above it while the acks' round-trip time stays
         * near its minimum; backs off when a queue builds (delay-based, probes build under ~20 ms of extra
         * round trip). Falls back to {@code messagesPerSecond} for the rest of the session, and tells
         * {@link DataChannelListener#onPacingFallback}, if a probe meets a burst of retransmissions, a
         * publication pause or a lost connection.
         */
        ADAPTIVE
    }

    public DataChannelConfig {
        Objects.requireNonNull(pacing, "pacing");
        Objects.requireNonNull(giveUpAfter, "giveUpAfter");
        if (chunkSize < 1 || chunkSize > MAX_PAYLOAD_SIZE) {
            throw new IllegalArgumentException("chunkSize " + chunkSize + " is outside 1.." + MAX_PAYLOAD_SIZE);
        }
        if (messagesPerSecond < 0) {
            throw new IllegalArgumentException("messagesPerSecond " + messagesPerSecond + " is negative");
        }
        if (maxUnacked < 1) {
            throw new IllegalArgumentException("maxUnacked " + maxUnacked + " must be at least 1");
        }
        if (maxPendingBytes < 1) {
            throw new IllegalArgumentException("maxPendingBytes " + maxPendingBytes + " must be at least 1");
        }
        if (reorderCapacity < 0) {
            throw new IllegalArgumentException("reorderCapacity " + reorderCapacity + " is negative");
        }
        if (giveUpAfter.isNegative() || giveUpAfter.isZero()) {
            throw new IllegalArgumentException("giveUpAfter " + giveUpAfter + " must be positive");
        }
    }

    /** A builder holding the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this configuration's values. */
    public Builder toBuilder() {
        return new Builder()
                .chunkSize(chunkSize)
                .messagesPerSecond(messagesPerSecond)
                .pacing(pacing)
                .maxUnacked(maxUnacked)
                .maxPendingBytes(maxPendingBytes)
                .reorderCapacity(reorderCapacity)
                .giveUpAfter(giveUpAfter);
    }

    /** Builds a {@link DataChannelConfig}; values are checked by {@link #build()}. */
    public static final class Builder {
        private int chunkSize = DEFAULT_CHUNK_SIZE;
        private int messagesPerSecond = DEFAULT_MESSAGES_PER_SECOND;
        private boolean rateSet;
        private Pacing pacing;
        private int maxUnacked = DEFAULT_MAX_UNACKED;
        private int maxPendingBytes = DEFAULT_MAX_PENDING_BYTES;
        private int reorderCapacity = DEFAULT_REORDER_CAPACITY;
        private Duration giveUpAfter = DEFAULT_GIVE_UP_AFTER;

        private Builder() {
        }

        public Builder chunkSize(int chunkSize) {
            this.chunkSize = chunkSize;
            return this;
        }

        /**
         * The fixed rate, or with {@link #pacing(Pacing) pacing(ADAPTIVE)} the adaptive pacer's floor.
         * Set without {@code pacing}, it means {@link Pacing#FIXED}: a caller who names a rate gets it.
         */
        public Builder messagesPerSecond(int messagesPerSecond) {
            this.messagesPerSecond = messagesPerSecond;
            this.rateSet = true;
            return this;
        }

        public Builder pacing(Pacing pacing) {
            this.pacing = Objects.requireNonNull(pacing, "pacing");
            return this;
        }

        public Builder maxUnacked(int maxUnacked) {
            this.maxUnacked = maxUnacked;
            return this;
        }

        public Builder maxPendingBytes(int maxPendingBytes) {
            this.maxPendingBytes = maxPendingBytes;
            return this;
        }

        public Builder reorderCapacity(int reorderCapacity) {
            this.reorderCapacity = reorderCapacity;
            return this;
        }

        public Builder giveUpAfter(Duration giveUpAfter) {
            this.giveUpAfter = giveUpAfter;
            return this;
        }

        /** @throws IllegalArgumentException naming the first value out of range */
        public DataChannelConfig build() {
            Pacing p = pacing != null ? pacing : rateSet ? Pacing.FIXED : DEFAULT_PACING;
            return new DataChannelConfig(chunkSize, messagesPerSecond, p, maxUnacked, maxPendingBytes, reorderCapacity,
                    giveUpAfter);
        }
    }
}
