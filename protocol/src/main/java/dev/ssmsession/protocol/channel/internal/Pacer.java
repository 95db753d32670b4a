package dev.ssmsession.protocol.channel.internal;

/**
 * Spaces data messages to at most {@code rate} per second (ARCHITECTURE decision 3), instead of the
 * Go plugin's 1 ms sleep per message. Slots are 1/rate s apart, kept exact over a second by carrying
 * the remainder. A late wake-up keeps the slots it missed, up to a credit of {@code rate/100}
 * messages (10 ms worth) and at least one, so timer jitter does not cut the rate; any one-second
 * window still sees at most {@code rate + max(2, rate/100)} messages — 959 with the default 950,
 * under the service's ~1000/s.
 */
public final class Pacer {
    private static final long SECOND = 1_000_000_000L;

    private int rate;
    private long interval;
    private long remainder;
    private long burstNanos;
    private boolean started;
    private long nextSlot;
    private long carry;

    /** @param rate messages per second; 0 = unpaced */
    public Pacer(int rate) {
        if (rate < 0) {
            throw new IllegalArgumentException("rate " + rate + " is negative");
        }
        configure(rate);
    }

    private void configure(int r) {
        this.rate = r;
        this.interval = r == 0 ? 0 : SECOND / r;
        this.remainder = r == 0 ? 0 : SECOND % r;
        this.burstNanos = r == 0 ? 0 : Math.max(1, r / 100 - 1) * SECOND / r;
    }

    public int rate() {
        return rate;
    }

    /**
     * Changes the rate of a paced pacer (the adaptive controller's output). The slot already promised is
     * kept (bringing it forward could put it in the past, where it would count as a late wake-up and earn
     * burst credit); the new spacing applies from the one after.
     */
    public void setRate(int newRate) {
        if (newRate < 1 || rate == 0) {
            throw new IllegalArgumentException("rate " + newRate + " cannot replace " + rate + ": only a paced rate changes");
        }
        if (newRate != rate) {
            configure(newRate);
            carry = 0;
        }
    }

    /** Takes a slot if one is free at {@code now}. */
    public boolean tryAcquire(long now) {
        if (rate == 0) {
            return true;
        }
        if (!started) {
            started = true;
            nextSlot = now;
        }
        if (now - nextSlot < 0) {
            return false;
        }
        if (now - nextSlot > burstNanos) {
            nextSlot = now - burstNanos;
            carry = 0;
        }
        nextSlot += interval;
        carry += remainder;
        if (carry >= rate) {
            carry -= rate;
            nextSlot++;
        }
        return true;
    }

    /** The earliest time, not before {@code now}, at which {@link #tryAcquire} succeeds. */
    public long availableAt(long now) {
        if (rate == 0 || !started || now - nextSlot >= 0) {
            return now;
        }
        return nextSlot;
    }
}
