package dev.ssmsession.protocol.channel.internal;

import java.util.ArrayDeque;

/**
 * Finds the data-message rate a channel sustains, from what its acks show: delay-based, in the spirit
 * of LEDBAT and BBR's min-RTT filter. The floor is the configured rate (default 950/s, known safe under
 * the service's ~1000/s cap): the controller never paces slower, only probes above it.
 *
 * <p>Time is cut into rounds: the messages first sent during {@value #ROUND_MILLIS} ms. A round is
 * judged once a message sent after it is acked, from its RTT samples (Karn: never a retransmitted
 * message's) against the base RTT, the smallest sample of the last 10 s:
 * <ul>
 *   <li><b>level</b> = smallest sample of the round's last third − base: a standing queue;</li>
 *   <li><b>growth</b> = smallest sample of the last third − of the first third: a queue building now,
 *       because this round's rate is above what the path passes (a min filter, so a scheduling stall
 *       that delays a few acks does not count).</li>
 * </ul>
 * Level ≥ {@value #QUEUE_HIGH_MILLIS} ms or growth ≥ {@value #GROWTH_MILLIS} ms: back off to 95% of the
 * lower of the rate and the round's delivery rate (acks per second, which a capped path holds at its
 * cap), not under the floor. Level under {@value #QUEUE_LOW_MILLIS} ms, no growth, and the round used
 * most of its slots (not application-limited): raise the rate by a step that starts at 1% and doubles
 * while the path stays clear, so a probe crosses an unknown cap by little but a path without one is
 * climbed in about a second. A step is small enough that the queue it and the next step build before
 * either is seen (a round plus the base RTT each) stays under {@value #PROBE_BUDGET_MILLIS} ms, so what a
 * probe adds to the round trip stays under 20 ms, also on a long path (where the climb is slower).
 *
 * <p>How the real service treats a sender above its cap is unknown: it may queue (RTT grows, handled
 * above), drop (retransmissions), throttle ({@code pause_publication}) or close the connection. While
 * probing (above the floor, or within a second of it), a burst of timer retransmissions
 * (≥ max({@value #RESEND_BURST_MIN}, 1% of the rate) in one second), a publication pause or a lost
 * connection makes the controller fall back to the floor for good; a single timer retransmission backs
 * off like a queue.
 *
 * <p>Sans-IO: every method takes the time; not thread-safe.
 */
public final class RateController {
    static final long ROUND_MILLIS = 30;
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
    private static final long THIRD = ROUND / 3;
    private static final long QUEUE_HIGH = QUEUE_HIGH_MILLIS * MS;
    private static final long QUEUE_LOW = QUEUE_LOW_MILLIS * MS;
    private static final long GROWTH = GROWTH_MILLIS * MS;
    private static final long PROBE_BUDGET = PROBE_BUDGET_MILLIS * MS;
    private static final long BASE_WINDOW = 10 * SECOND;
    private static final long PROBE_GRACE = SECOND;
    private static final double FIRST_STEP = 0.01;
    private static final double MAX_STEP = 0.25;
    private static final double BACKOFF = 0.95;
    private static final double RESEND_BACKOFF = 0.9;
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
    private int roundSends;
    private int firstCount;
    private int lastCount;
    private int count;
    private long minFirst;
    private long minLast;
    private long minAll;
    private long firstAck;
    private long lastAck;
    private boolean backedOff;
    private boolean resendBackoffThisRound;

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
        if (now - roundStart < ROUND) {
            roundSends++;
        }
    }

    /**
     * The oldest message was resent because its RTO passed. While probing this is a congestion signal
     * (back off, at most once a round), and a burst of them ends adaptive pacing.
     */
    public void onTimerResend(long now) {
        if (fellBack() || !probing(now)) {
            return;
        }
        resends.addLast(now);
        while (!resends.isEmpty() && now - resends.peekFirst() >= SECOND) {
            resends.pollFirst();
        }
        int burst = (int) Math.max(RESEND_BURST_MIN, Math.ceil(RESEND_BURST_FRACTION * rate));
        if (resends.size() >= burst) {
            fallBack(resends.size() + " retransmissions within one second while probing at " + rate() + " messages/s");
            return;
        }
        if (!resendBackoffThisRound && rate > floor) {
            resendBackoffThisRound = true;
            setRate(rate * RESEND_BACKOFF, now);
            step = rate * FIRST_STEP;
            backoffs++;
        }
    }

    /**
     * An ack retired {@code acked}; {@code now} is when it arrived. Only messages sent once give RTT
     * samples (which transmission an ack answers is unknown otherwise).
     */
    public void onAck(long now, Outgoing acked) {
        if (acked.transmissions() != 1) {
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
        if (fellBack() || !roundOpen) {
            return;
        }
        long age = acked.firstSentNanos() - roundStart;
        if (age < 0) {
            return;
        }
        if (age >= ROUND) {
            judgeRound(now);
            return;
        }
        count++;
        minAll = Math.min(minAll, sample);
        if (count == 1) {
            firstAck = now;
        }
        lastAck = now;
        if (age < THIRD) {
            firstCount++;
            minFirst = Math.min(minFirst, sample);
        } else if (age >= ROUND - THIRD) {
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

    // ------------------------------------------------------------------ decisions

    private void openRound(long now) {
        roundOpen = true;
        roundStart = now;
        roundSends = 0;
        count = 0;
        firstCount = 0;
        lastCount = 0;
        minFirst = Long.MAX_VALUE;
        minLast = Long.MAX_VALUE;
        minAll = Long.MAX_VALUE;
        resendBackoffThisRound = false;
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
        boolean wasBackoff = backedOff;
        backedOff = false;
        if (growth >= GROWTH || level >= QUEUE_HIGH) {
            if (wasBackoff && growth < GROWTH) {
                step = rate * FIRST_STEP; // the queue of the last probe is draining: wait
                return;
            }
            double delivered = lastAck - firstAck > ROUND / 2 ? count * (double) SECOND / (lastAck - firstAck) : rate;
            setRate(Math.min(rate, delivered) * BACKOFF, now);
            step = rate * FIRST_STEP;
            backedOff = true;
            backoffs++;
            return;
        }
        boolean demand = roundSends >= DEMAND * rate * ROUND / SECOND;
        if (level < QUEUE_LOW && growth < GROWTH / 2 && demand && rate < MAX_RATE) {
            setRate(rate + step, now);
            // An overshoot is seen a round plus a round trip later, and may have grown by one more step by then.
            double maxStep = Math.min(MAX_STEP, (double) PROBE_BUDGET / (3 * (ROUND + baseRtt)));
            step = Math.min(step * 2, rate * maxStep);
            increases++;
            return;
        }
        step = rate * FIRST_STEP;
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
