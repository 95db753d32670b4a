package dev.ssmsession.protocol.channel.internal;

import java.util.function.Consumer;

/**
 * The {@link Pacer} of one channel's data messages and, with adaptive pacing, the {@link RateController}
 * that sets its rate. The sender asks it for slots and reports what it wrote; the receiver reports
 * acks; the channel reports pauses and the transport. Fixed or unpaced: the events are ignored.
 */
public final class PacingControl {
    private final Pacer pacer;
    private final RateController controller;

    private PacingControl(Pacer pacer, RateController controller) {
        this.pacer = pacer;
        this.controller = controller;
    }

    /** Always {@code rate} messages/s; 0 = unpaced. */
    public static PacingControl fixed(int rate) {
        return new PacingControl(new Pacer(rate), null);
    }

    /**
     * Starts at {@code floor} messages/s and probes above it ({@link RateController}); {@code floor} 0
     * means unpaced, and then there is nothing to adapt.
     *
     * @param onFallback told once if probing stops for good, with the reason
     */
    public static PacingControl adaptive(int floor, Consumer<String> onFallback) {
        if (floor == 0) {
            return fixed(0);
        }
        return new PacingControl(new Pacer(floor), new RateController(floor, onFallback::accept));
    }

    public boolean tryAcquire(long now) {
        return pacer.tryAcquire(now);
    }

    public long availableAt(long now) {
        return pacer.availableAt(now);
    }

    /** A data message (new or resent) was written. */
    public void sent(long now) {
        if (controller != null) {
            controller.onSent(now);
            apply();
        }
    }

    public void acked(long now, Outgoing acked) {
        if (controller != null) {
            controller.onAck(now, acked);
            apply();
        }
    }

    public void paused(long now) {
        if (controller != null) {
            controller.onPause(now);
            apply();
        }
    }

    public void transportDown(long now) {
        if (controller != null) {
            controller.onTransportDown(now);
            apply();
        }
    }

    public void transportUp(long now) {
        if (controller != null) {
            controller.onTransportUp(now);
        }
    }

    private void apply() {
        pacer.setRate(controller.rate());
    }

    /** Messages per second now; 0 = unpaced. */
    public int rate() {
        return pacer.rate();
    }

    public boolean adaptive() {
        return controller != null;
    }

    /** Adaptive pacing gave up probing and stays at its floor. */
    public boolean fellBack() {
        return controller != null && controller.fellBack();
    }
}
