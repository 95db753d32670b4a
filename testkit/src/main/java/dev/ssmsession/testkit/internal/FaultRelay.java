package dev.ssmsession.testkit.internal;

import dev.ssmsession.protocol.message.ClientMessageCodec;
import dev.ssmsession.testkit.FaultPlan;
import java.util.EnumMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.java_websocket.WebSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A relay that applies a {@link FaultPlan} with one seeded generator per session. */
public final class FaultRelay implements FrameRelay {
    private static final Logger LOG = LoggerFactory.getLogger(FaultRelay.class);
    private static final long REORDER_RELEASE_MS = 50;

    private final FaultPlan plan;
    private final ServiceSession session;
    private final Random random;
    private final Map<ServiceSession.Direction, Held> held = new EnumMap<>(ServiceSession.Direction.class);
    private int framesOnConnection;
    private ScheduledFuture<?> cutTimer;

    private record Held(byte[] frame, Consumer<byte[]> next, ScheduledFuture<?> release) {
    }

    public FaultRelay(FaultPlan plan, ServiceSession session, long seed) {
        this.plan = plan;
        this.session = session;
        this.random = new Random(seed);
    }

    @Override
    public void forward(ServiceSession.Direction direction, byte[] frame, Consumer<byte[]> next) {
        // Decide under the lock, pass frames on outside it: next() reaches the agent's lock, and the
        // agent calls this relay while holding it.
        java.util.List<Runnable> actions = new java.util.ArrayList<>(3);
        synchronized (this) {
            decide(direction, frame, next, actions);
        }
        actions.forEach(Runnable::run);
    }

    private void decide(ServiceSession.Direction direction, byte[] frame, Consumer<byte[]> next, java.util.List<Runnable> actions) {
        countFrameAndMaybeCut();
        if (!plan.applies(direction)) {
            actions.add(() -> next.accept(frame));
            return;
        }
        // Draw every decision for every frame so the sequence of choices depends only on the seed.
        boolean drop = random.nextDouble() < plan.drop();
        boolean dup = random.nextDouble() < plan.duplicate();
        boolean reorder = random.nextDouble() < plan.reorder();
        boolean delay = random.nextDouble() < plan.delay();
        long delayMs = 1 + (long) (random.nextDouble() * plan.maxDelay().toMillis());
        boolean corrupt = random.nextDouble() < plan.corruptDigest();
        int bit = random.nextInt(ClientMessageCodec.PAYLOAD_DIGEST_LENGTH * 8);
        if (drop) {
            LOG.debug("fault: drop {}", direction);
            return;
        }
        byte[] out = frame;
        if (corrupt && frame.length >= ClientMessageCodec.FRAME_OVERHEAD) {
            out = frame.clone();
            out[ClientMessageCodec.PAYLOAD_DIGEST_OFFSET + bit / 8] ^= (byte) (1 << (bit % 8));
            LOG.debug("fault: corrupt digest {}", direction);
        }
        Held before = held.remove(direction);
        byte[] f = out;
        if (reorder && before == null) {
            ScheduledFuture<?> release = session.scheduler().schedule(() -> releaseHeld(direction),
                    REORDER_RELEASE_MS, TimeUnit.MILLISECONDS);
            held.put(direction, new Held(f, next, release));
            LOG.debug("fault: hold back {}", direction);
            return;
        }
        if (delay) {
            session.scheduler().schedule(() -> next.accept(f), delayMs, TimeUnit.MILLISECONDS);
        } else {
            actions.add(() -> next.accept(f));
        }
        if (dup) {
            actions.add(() -> next.accept(f));
        }
        if (before != null) {
            before.release().cancel(false);
            actions.add(() -> before.next().accept(before.frame()));
        }
    }

    private void releaseHeld(ServiceSession.Direction direction) {
        Held h;
        synchronized (this) {
            h = held.remove(direction);
        }
        if (h != null) {
            h.next().accept(h.frame());
        }
    }

    private void countFrameAndMaybeCut() {
        framesOnConnection++;
        if (plan.cutAfterFrames() > 0 && framesOnConnection >= plan.cutAfterFrames()) {
            framesOnConnection = 0;
            LOG.info("fault: cut the connection of {} after {} frames", session.id(), plan.cutAfterFrames());
            session.scheduler().execute(session::cut);
        }
    }

    @Override
    public synchronized void onAttach(WebSocket ws) {
        framesOnConnection = 0;
        if (cutTimer != null) {
            cutTimer.cancel(false);
        }
        if (!plan.cutEvery().isZero()) {
            cutTimer = session.scheduler().schedule(() -> {
                if (session.connection() == ws) {
                    LOG.info("fault: cut the connection of {} after {}", session.id(), plan.cutEvery());
                    session.cut();
                }
            }, plan.cutEvery().toMillis(), TimeUnit.MILLISECONDS);
        }
    }
}
