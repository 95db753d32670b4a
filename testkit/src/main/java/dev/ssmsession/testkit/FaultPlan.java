package dev.ssmsession.testkit;

import dev.ssmsession.testkit.internal.FaultRelay;
import dev.ssmsession.testkit.internal.FrameRelay;
import dev.ssmsession.testkit.internal.ServiceSession;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Faults the local service injects into the frames it relays between client and agent (data
 * messages and acks; never OpenDataChannel or channel_closed). Every random choice comes from a
 * seeded generator, one per session in order of creation, so a run is reproducible.
 *
 * <pre>{@code
 * FaultPlan.builder().drop(0.05).duplicate(0.02).reorder(0.05).corruptDigest(0.01)
 *         .cutAfterFrames(200).build()
 * }</pre>
 */
public final class FaultPlan {
    /** Which way a fault applies. */
    public enum Directions { BOTH, CLIENT_TO_AGENT, AGENT_TO_CLIENT }

    private final double drop;
    private final double duplicate;
    private final double reorder;
    private final double delay;
    private final Duration maxDelay;
    private final double corruptDigest;
    private final Duration cutEvery;
    private final int cutAfterFrames;
    private final Directions directions;
    private final AtomicLong sessions = new AtomicLong();

    private FaultPlan(Builder b) {
        this.drop = b.drop;
        this.duplicate = b.duplicate;
        this.reorder = b.reorder;
        this.delay = b.delay;
        this.maxDelay = b.maxDelay;
        this.corruptDigest = b.corruptDigest;
        this.cutEvery = b.cutEvery;
        this.cutAfterFrames = b.cutAfterFrames;
        this.directions = b.directions;
    }

    public static Builder builder() {
        return new Builder();
    }

    public double drop() {
        return drop;
    }

    public double duplicate() {
        return duplicate;
    }

    public double reorder() {
        return reorder;
    }

    public double delay() {
        return delay;
    }

    public Duration maxDelay() {
        return maxDelay;
    }

    public double corruptDigest() {
        return corruptDigest;
    }

    /** Zero for never. */
    public Duration cutEvery() {
        return cutEvery;
    }

    /** Zero for never. */
    public int cutAfterFrames() {
        return cutAfterFrames;
    }

    public boolean applies(FrameDirection d) {
        return directions == Directions.BOTH
                || (directions == Directions.CLIENT_TO_AGENT) == (d == FrameDirection.CLIENT_TO_AGENT);
    }

    FrameRelay relay(ServiceSession session, long seed) {
        long n = sessions.getAndIncrement();
        return new FaultRelay(this, session, seed * 0x9E3779B97F4A7C15L + n);
    }

    @Override
    public String toString() {
        return "FaultPlan[drop=" + drop + ", duplicate=" + duplicate + ", reorder=" + reorder + ", delay=" + delay
                + " up to " + maxDelay + ", corruptDigest=" + corruptDigest + ", cutEvery=" + cutEvery
                + ", cutAfterFrames=" + cutAfterFrames + ", directions=" + directions + "]";
    }

    /** Probabilities are per relayed frame, in [0, 1]. */
    public static final class Builder {
        private double drop;
        private double duplicate;
        private double reorder;
        private double delay;
        private Duration maxDelay = Duration.ofMillis(200);
        private double corruptDigest;
        private Duration cutEvery = Duration.ZERO;
        private int cutAfterFrames;
        private Directions directions = Directions.BOTH;

        private Builder() {
        }

        public Builder drop(double p) {
            this.drop = probability("drop", p);
            return this;
        }

        public Builder duplicate(double p) {
            this.duplicate = probability("duplicate", p);
            return this;
        }

        /** Holds a frame back and lets the next one in the same direction overtake it. */
        public Builder reorder(double p) {
            this.reorder = probability("reorder", p);
            return this;
        }

        /** Delays a frame by a uniform random time up to {@code max}. */
        public Builder delay(double p, Duration max) {
            this.delay = probability("delay", p);
            this.maxDelay = Objects.requireNonNull(max, "max");
            if (max.isNegative() || max.isZero()) {
                throw new IllegalArgumentException("max delay " + max + " must be positive");
            }
            return this;
        }

        /** Flips one bit of the PayloadDigest, so the receiver must drop the frame. */
        public Builder corruptDigest(double p) {
            this.corruptDigest = probability("corruptDigest", p);
            return this;
        }

        /** Cuts the client's WebSocket abruptly this long after each connection is attached. */
        public Builder cutEvery(Duration period) {
            Objects.requireNonNull(period, "period");
            if (period.isNegative()) {
                throw new IllegalArgumentException("cut period " + period + " is negative");
            }
            this.cutEvery = period;
            return this;
        }

        /** Cuts the client's WebSocket abruptly after this many relayed frames on each connection. */
        public Builder cutAfterFrames(int frames) {
            if (frames < 0) {
                throw new IllegalArgumentException("frames " + frames + " is negative");
            }
            this.cutAfterFrames = frames;
            return this;
        }

        public Builder directions(Directions d) {
            this.directions = Objects.requireNonNull(d, "directions");
            return this;
        }

        public FaultPlan build() {
            return new FaultPlan(this);
        }

        private static double probability(String name, double p) {
            if (!(p >= 0 && p <= 1)) {
                throw new IllegalArgumentException(name + " probability " + p + " is not in [0, 1]");
            }
            return p;
        }
    }
}
