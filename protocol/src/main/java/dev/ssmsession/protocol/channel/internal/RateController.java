package dev.ssmsession.protocol.channel.internal;

import java.util.ArrayDeque;

/**
 * Finds the data-message rate a channel sustains, from what its acks show: delay-based, in the spirit
 * of LEDBAT and BBR's min-RTT filter. The floor is the configured rate (default 950/s, known safe under
 * the service's ~1000/s cap): the controller never paces slower, only probes above it.
 *
 * <p>Time is cut into rounds: the messages first sent during {@value #ROUND_MILLIS} ms (shorter at
 * high rates, down to {@value #SHORT_ROUND_MILLIS} ms, so that a round holds ~30 samples). A round is
 * judged once a message sent after it is acked, from its RTT samples (Karn: never a retransmitted
 * message's) against the base RTT, the smallest sample of the last 10 s:
 * <ul>
 *   <li><b>level</b> = smallest sample of the round's last third − base: a standing queue;</li>
 *   <li><b>growth</b> = smallest sample of the last third − of the first third: a queue building now,
 *       because this round's rate is above what the path passes (a min filter, so a scheduling stall
 *       that delays a few acks does not count).</li>
 * </ul>
 * Growth ≥ {@value #GROWTH_MILLIS} ms in two rounds running (one alone may be a stall: a descheduled
 * thread delays a burst of acks), or — checked on every ack, not per round — every ack late by
 * {@value #QUEUE_HIGH_MILLIS} ms or more for 3 ms of arrivals (a queue delays them all, evenly; a stall
 * delays a burst that arrives at once): back off to 95% of the lower of the rate and the delivery rate
 * (acks per second, which a capped path holds at its cap), less what drains the standing queue within
 * 100 ms, by at most 30% at once, and not under the floor; then wait while that queue drains.
 *
 * <p>Level under {@value #QUEUE_LOW_MILLIS} ms, no growth, and the round used most of its slots (not
 * application-limited): raise the rate by a step that starts at 1% and doubles while the path stays
 * clear, up to 7% a round, so a path without a cap is climbed in seconds. Up to twice the floor the
 * climb is additive, at most one floor per second (less on a long path): a cap with burst credit (the
 * testkit's is 50 ms of its rate) shows no queue until the credit is spent, and the faster the climb,
 * the further above the cap it is by then. A step is also small enough that the queue it and the next
 * step build before either is seen (a round plus the base RTT each) stays under
 * {@value #PROBE_BUDGET_MILLIS} ms. On the virtual-time paths of {@code AdaptivePacingTest} a probe's
 * queue stays under 20 ms of extra round trip near the floor; a cap far above it, hidden by such credit,
 * is overshot further (about 35 ms at 5 000/s) before the queue is drained.
 *
 * <p>How the real service treats a sender above its cap is unknown: it may queue (RTT grows, handled
 * above), drop (retransmissions), throttle ({@code pause_publication}) or close the connection. While
 * probing (above the floor, or within a second of it), a burst of timer retransmissions
 * (≥ max({@value #RESEND_BURST_MIN}, 1% of the rate) in one second, not counting spurious ones whose
 * ack comes sooner than a round trip could), a publication pause or a lost connection makes the
 * controller fall back to the floor for good.
 *
 * <p>Sans-IO: every method takes the time; not thread-safe.
 */
public final class RateController {
    static final long ROUND_MILLIS = 30;
    static final long SHORT_ROUND_MILLIS = 10;
    /** Samples a round aims for: 30 ms at the floor, down to 10 ms from 3 000 messages/s. */
    private static final int ROUND_SAMPLES = 30;
    static final long QUEUE_HIGH_MILLIS = 8;
    static final long QUEUE_LOW_MILLIS = 3;
    static final long GROWTH_MILLIS = 2;
    static final long PROBE_BUDGET_MILLIS = 8;
    static final int RESEND_BURST_MIN = 8;
    /** Highest rate probed: 100 000 messages/s, 100 MB/s with 1 KiB messages, far beyond what a session does. */
    public static final int MAX_RATE = 100_000;

    private static final long MS = 1_000_000L;
    private static final long SECOND = 1_000_000_000L;
    private static final long ROUND = ROUND_MILLIS * MS;
    private static final long SHORT_ROUND = SHORT_ROUND_MILLIS * MS;
    /** A spurious resend's ack answers the original: it comes sooner after the resend than any round trip. */
    private static final long SPURIOUS_FLOOR = MS / 2;
    private static final long QUEUE_HIGH = QUEUE_HIGH_MILLIS * MS;
    private static final long QUEUE_LOW = QUEUE_LOW_MILLIS * MS;
    private static final long GROWTH = GROWTH_MILLIS * MS;
    private static final long PROBE_BUDGET = PROBE_BUDGET_MILLIS * MS;
    private static final long BASE_WINDOW = 10 * SECOND;
    private static final long PROBE_GRACE = SECOND;
    private static final double FIRST_STEP = 0.01;
    /**
     * Below this multiple of the floor the climb is additive, at most one floor's worth per second: the
     * floor is set just under the expected cap, and a cap with burst credit (a token bucket, as the
     * testkit's) shows no queue until the credit is spent, so a fast climb there would be far above the
     * cap when the queue appears.
     */
    private static final double CAUTIOUS_ZONE = 2.0;
    private static final double MAX_STEP = 0.07;
    private static final double BACKOFF = 0.95;
    /** One backoff cuts at most this much, so a round spoilt by a stall cannot throw away the rate found. */
    private static final double DEEPEST_BACKOFF = 0.7;
    /** A backoff also aims to drain the standing queue it saw within this time. */
    private static final long DRAIN_TIME = 100 * MS;
    /** A queue delays every ack for as long as it stands; a stall delays a burst that arrives at once. */
    private static final long SUSTAINED = 3 * MS;
    private static final int SUSTAINED_SAMPLES = 3;
    private static final double DEMAND = 0.8;
    private static final double RESEND_BURST_FRACTION = 0.01;
    private static final int MIN_SAMPLES_PER_THIRD = 3;

    /** Told once, when the controller falls back to the floor for the rest of the channel's life. */
    @FunctionalInterface
    public interface FallbackListener {
        void fellBack(String reason);
    }

    private final int floor;
    private final FallbackListener onFallback;
    private double rate;
    private double step;
    private String fallbackReason;

    private long baseRtt = -1;
    private long baseStamp;

    private boolean roundOpen;
    private long roundStart;
    private long roundLength;
    private int roundSends;
    private int firstCount;
    private int lastCount;
    private int count;
    private long minFirst;
    private long minLast;
    private long minAll;
    private long firstAck;
    private long lastAck;
    private boolean suspect;
    private boolean draining;
    /** The current run of acks whose delay is over the high mark: since when, how many, how late the last backoff was. */
    private long elevatedSince;
    private int elevatedCount;
    private long elevatedBackoffSample = -1;
    private long lastBackoffAt;
    private boolean backedOffOnce;

    private boolean everAboveFloor;
    private long lastAboveFloor;
    private final ArrayDeque<Long> resends = new ArrayDeque<>();

    private long increases;
    private long backoffs;

    /** @param floor the configured rate: where it starts, what it never goes under, what it falls back to */
    public RateController(int floor, FallbackListener onFallback) {
        if (floor < 1) {
            throw new IllegalArgumentException("floor " + floor + " must be at least 1 message/s");
        }
        this.floor = floor;
        this.onFallback = onFallback;
        this.rate = floor;
        this.step = floor * FIRST_STEP;
    }

    /** Messages per second to pace at now. */
    public int rate() {
        return (int) Math.round(rate);
    }

    public boolean fellBack() {
        return fallbackReason != null;
    }

    /** Why it fell back, or {@code null}. */
    public String fallbackReason() {
        return fallbackReason;
    }

    public long increases() {
        return increases;
    }

    public long backoffs() {
        return backoffs;
    }

    /** The smallest RTT sample of the last ~10 s, or -1 before the first. */
    public long baseRttNanos() {
        return baseRtt;
    }

    // ------------------------------------------------------------------ events

    /** A data message (new or resent) was written. */
    public void onSent(long now) {
        if (fellBack()) {
            return;
        }
        notePosition(now);
        if (!roundOpen) {
            openRound(now);
        }
        if (now - roundStart < roundLength) {
            roundSends++;
        }
    }

    /**
     * An ack retired {@code acked}; {@code now} is when it arrived. Only messages sent once give RTT
     * samples (which transmission an ack answers is unknown otherwise).
     */
    public void onAck(long now, Outgoing acked) {
        if (acked.transmissions() != 1) {
            onResentAcked(now, acked);
            return;
        }
        long sample = now - acked.lastSentNanos();
        if (sample < 0) {
            return;
        }
        if (baseRtt < 0 || sample <= baseRtt) {
            baseRtt = sample;
            baseStamp = now;
        }
        if (fellBack()) {
            return;
        }
        watchQueue(now, sample, acked.firstSentNanos());
        if (!roundOpen) {
            return;
        }
        long age = acked.firstSentNanos() - roundStart;
        if (age < 0) {
            return;
        }
        if (age >= roundLength) {
            judgeRound(now);
            return;
        }
        count++;
        minAll = Math.min(minAll, sample);
        if (count == 1) {
            firstAck = now;
        }
        lastAck = now;
        long third = roundLength / 3;
        if (age < third) {
            firstCount++;
            minFirst = Math.min(minFirst, sample);
        } else if (age >= roundLength - third) {
            lastCount++;
            minLast = Math.min(minLast, sample);
        }
    }

    /** The service paused publication: throttling, if we were probing. */
    public void onPause(long now) {
        roundOpen = false;
        if (!fellBack() && probing(now)) {
            fallBack("the service paused publication while probing at " + rate() + " messages/s");
        }
    }

    /** The connection was lost: maybe the service's answer to a probe, if we were probing. */
    public void onTransportDown(long now) {
        roundOpen = false;
        if (!fellBack() && probing(now)) {
            fallBack("the connection was lost while probing at " + rate() + " messages/s");
        }
    }

    /** A new connection: the path may differ, so the base RTT is measured afresh. */
    public void onTransportUp(long now) {
        roundOpen = false;
        baseRtt = -1;
    }

    /**
     * A resent message was acked. An ack sooner after the resend than half the base RTT (and than 0.5 ms)
     * answers the original, which was late, not lost: the resend was spurious (a stall, say, left acks
     * waiting to be read while the timer ran). Any other counts towards a burst, which ends probing.
     */
    private void onResentAcked(long now, Outgoing acked) {
        if (fellBack() || !probing(now)) {
            return;
        }
        if (baseRtt >= 0 && now - acked.lastSentNanos() < Math.max(baseRtt / 2, SPURIOUS_FLOOR)) {
            return;
        }
        resends.addLast(now);
        while (!resends.isEmpty() && now - resends.peekFirst() >= SECOND) {
            resends.pollFirst();
        }
        int burst = (int) Math.max(RESEND_BURST_MIN, Math.ceil(RESEND_BURST_FRACTION * rate));
        if (resends.size() >= burst) {
            fallBack(resends.size() + " retransmissions within one second while probing at " + rate() + " messages/s");
        }
    }

    /**
     * Backs off as soon as acks have come late by {@value #QUEUE_HIGH_MILLIS} ms or more, every one of
     * them, for {@code SUSTAINED} of arrival time: a standing queue, not waiting for the round to end (a
     * round far above a cap takes long to be acked). Once backed off, again only if the delay still grows.
     */
    private void watchQueue(long now, long sample, long sentAt) {
        if (backedOffOnce && sentAt - lastBackoffAt < 0) {
            return; // sent at the rate before the last backoff: its delay says nothing new
        }
        if (sample - baseRtt < QUEUE_HIGH) {
            elevatedCount = 0;
            elevatedBackoffSample = -1;
            return;
        }
        if (elevatedCount++ == 0) {
            elevatedSince = now;
            return;
        }
        if (now - elevatedSince < SUSTAINED || elevatedCount < SUSTAINED_SAMPLES) {
            return;
        }
        if (elevatedBackoffSample < 0 && backedOffOnce && now - lastBackoffAt < SECOND) {
            elevatedBackoffSample = sample; // the first late ack sent since the last backoff: the reference
            return;
        }
        if (elevatedBackoffSample >= 0 && sample < elevatedBackoffSample + GROWTH) {
            return; // draining after the last backoff
        }
        double delivered = (elevatedCount - 1) * (double) SECOND / (now - elevatedSince);
        double drainFactor = Math.max(DEEPEST_BACKOFF, BACKOFF - (double) (sample - baseRtt) / DRAIN_TIME);
        setRate(Math.max(rate * DEEPEST_BACKOFF, Math.min(rate, delivered) * drainFactor), now);
        step = rate * FIRST_STEP;
        elevatedBackoffSample = -1;
        elevatedCount = 0;
        noteBackoff(now);
        roundOpen = false;
        draining = true;
        suspect = false;
        backoffs++;
    }

    // ------------------------------------------------------------------ decisions

    private void openRound(long now) {
        roundOpen = true;
        roundStart = now;
        roundLength = Math.max(SHORT_ROUND, Math.min(ROUND, (long) (ROUND_SAMPLES * (double) SECOND / rate)));
        roundSends = 0;
        count = 0;
        firstCount = 0;
        lastCount = 0;
        minFirst = Long.MAX_VALUE;
        minLast = Long.MAX_VALUE;
        minAll = Long.MAX_VALUE;
    }

    private void judgeRound(long now) {
        roundOpen = false;
        if (count > 0 && now - baseStamp > BASE_WINDOW) {
            // BBR's min-RTT filter expires; the round's own minimum is the freshest estimate.
            baseRtt = minAll;
            baseStamp = now;
        }
        if (firstCount < MIN_SAMPLES_PER_THIRD || lastCount < MIN_SAMPLES_PER_THIRD || baseRtt < 0) {
            step = rate * FIRST_STEP; // too little traffic to judge: hold
            return;
        }
        long level = minLast - baseRtt;
        long growth = minLast - minFirst;
        if (growth < GROWTH && level >= QUEUE_HIGH) {
            step = rate * FIRST_STEP; // a standing queue is watchQueue's to act on; do not add to it
            return;
        }
        if (growth >= GROWTH) {
            step = rate * FIRST_STEP;
            if (draining && growth <= 0) {
                return; // the queue of the last backoff is still draining: wait
            }
            if (!suspect) {
                // One round can be a stall (a descheduled thread delays a burst of acks); a queue is still there next round.
                suspect = true;
                return;
            }
            double delivered = lastAck - firstAck > roundLength / 2 ? count * (double) SECOND / (lastAck - firstAck) : rate;
            // 95% of what the path passed, less what drains the standing queue within DRAIN_TIME.
            double drainFactor = Math.max(DEEPEST_BACKOFF, BACKOFF - (double) level / DRAIN_TIME);
            setRate(Math.max(rate * DEEPEST_BACKOFF, Math.min(rate, delivered) * drainFactor), now);
            suspect = false;
            draining = true;
            noteBackoff(now);
            backoffs++;
            return;
        }
        suspect = false;
        draining = false;
        boolean demand = roundSends >= DEMAND * rate * roundLength / SECOND;
        if (level < QUEUE_LOW && growth < GROWTH / 2 && demand && rate < MAX_RATE) {
            setRate(rate + step, now);
            // An overshoot is seen a round plus a round trip later, and may have grown by one more step by then.
            double maxStep = Math.min(MAX_STEP, (double) PROBE_BUDGET / (3 * (roundLength + baseRtt)));
            step = Math.min(step * 2, rate * maxStep);
            if (rate < CAUTIOUS_ZONE * floor) {
                // One floor per second on a short path; slower on a long one, where a round lasts a round trip
                // longer and more is sent before the queue shows (at 60 ms: a fifth of a floor per second).
                step = Math.min(step, floor * (double) roundLength / SECOND * Math.sqrt((double) ROUND / (ROUND + baseRtt)));
            }
            increases++;
            return;
        }
        step = rate * FIRST_STEP;
    }

    private void noteBackoff(long now) {
        backedOffOnce = true;
        lastBackoffAt = now;
    }

    private void setRate(double r, long now) {
        rate = Math.max(floor, Math.min(MAX_RATE, r));
        notePosition(now);
    }

    private void notePosition(long now) {
        if (rate > floor) {
            everAboveFloor = true;
            lastAboveFloor = now;
        }
    }

    /** Above the floor now, or was within the last second (a drop or close answers a probe late). */
    private boolean probing(long now) {
        return rate > floor || (everAboveFloor && now - lastAboveFloor < PROBE_GRACE);
    }

    private void fallBack(String reason) {
        fallbackReason = reason;
        rate = floor;
        roundOpen = false;
        if (onFallback != null) {
            onFallback.fellBack(reason);
        }
    }
}
