package dev.bulwark.edge.codec;

import dev.bulwark.core.config.HttpLimits;
import dev.bulwark.core.time.Clock;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;

import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs a {@link BodyRate} for one request body on its channel's event loop: checks it once a
 * second until the body is complete, and reports a body that is too slow (or, with
 * {@code body_timeout}, too long) once. The request's owner tells it about every body chunk and
 * every time the edge stops or resumes reading; it answers the client (408) itself.
 *
 * <p>The clock starts with the request, but the timer only when the owner {@linkplain #arm arms}
 * it at the end of a read that left the body incomplete: a body that arrives in the read that
 * brought its head (nearly every one) costs no timer, as with {@link HeaderDeadline}.
 */
public final class BodyDeadline {
    private static final long TICK_MILLIS = 1000;

    private final BodyRate rate;
    private final EventLoop loop;
    private final Consumer<BodyRate.Verdict> onViolation;
    private ScheduledFuture<?> tick;
    private boolean ended;

    private BodyDeadline(BodyRate rate, EventLoop loop, Consumer<BodyRate.Verdict> onViolation) {
        this.rate = rate;
        this.loop = loop;
        this.onViolation = onViolation;
    }

    /** Starts the clock of a body now; null when the limits ask for no body deadline at all. */
    public static BodyDeadline start(HttpLimits limits, Clock clock, EventLoop loop, Consumer<BodyRate.Verdict> onViolation) {
        if (BodyRate.off(limits)) return null;
        return new BodyDeadline(new BodyRate(limits, clock), loop, onViolation);
    }

    public void received(int bytes) { rate.received(bytes); }

    public void paused(boolean paused) { rate.paused(paused); }

    /** The client's bytes at hand are consumed and the body may still be arriving: checks start (once). */
    public void arm() {
        if (!ended && tick == null) tick = loop.schedule(this::check, TICK_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** The body is complete, or the request is over: no more checks. */
    public void end() {
        ended = true;
        if (tick != null) {
            tick.cancel(false);
            tick = null;
        }
    }

    private void check() {
        tick = null;
        if (ended) return;
        BodyRate.Verdict v = rate.check();
        if (v != BodyRate.Verdict.OK) {
            end();
            onViolation.accept(v);
            return;
        }
        tick = loop.schedule(this::check, TICK_MILLIS, TimeUnit.MILLISECONDS);
    }
}
