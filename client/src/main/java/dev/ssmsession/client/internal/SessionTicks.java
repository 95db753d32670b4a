package dev.ssmsession.client.internal;

import dev.ssmsession.protocol.channel.DataChannel;

/**
 * Time for one session: after every engine call the {@link TickTimer} is armed for the earliest
 * deadline of the engine (resend, pacing, acks) and of the session kind (e.g. smux keepalive);
 * when it fires, both tick under the session lock. Not thread-safe: the session lock guards it.
 */
final class SessionTicks {
    /** 4 ms: about 4 paced messages per tick at the default rate, well inside the pacer's 8-message burst credit. */
    static final long MIN_TICK_SPACING_NANOS = 4_000_000;

    private final ChannelSession session;
    private final DataChannel engine;
    private final HandlerDispatch dispatch;
    private final SessionLifecycle life;
    private final TickTimer timer;

    SessionTicks(TransportContext ctx, ChannelSession session, DataChannel engine, HandlerDispatch dispatch,
                 SessionLifecycle life) {
        this.session = session;
        this.engine = engine;
        this.dispatch = dispatch;
        this.life = life;
        this.timer = new TickTimer(ctx.scheduler(), ctx.nanoTime(), this::onTick, MIN_TICK_SPACING_NANOS);
    }

    /** Makes sure a tick runs by the next deadline; call after anything that may have moved one. */
    void rearm() {
        if (!life.isFinished()) {
            timer.arm(engine.nextDeadlineNanos(), dispatch.nextDeadlineNanos());
        }
    }

    void cancel() {
        timer.cancel();
    }

    private void onTick() {
        session.locked(() -> {
            timer.fired();
            if (life.isFinished()) {
                return;
            }
            engine.tick();
            if (!life.isFinished()) {
                dispatch.tick();
            }
        });
    }
}
