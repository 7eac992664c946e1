package dev.bulwark.edge.codec;

import dev.bulwark.core.config.HttpLimits;
import dev.bulwark.core.time.Clock;

/**
 * Whether a request body arrives fast enough (slow-body / R.U.D.Y. defence). Only the client's
 * time counts: while the edge itself does not read (the origin is slow to take the body, the
 * request waits for an origin slot), the meter is paused. Once {@code body_grace} of such
 * active time has passed, the body must have brought at least {@code min_body_rate} bytes per
 * second over the last {@code body_rate_window} (or since it began, when that is shorter);
 * {@code body_timeout}, when set, caps the active time whatever the rate.
 *
 * <p>A pure decision: {@link #check()} is called about once a second by {@link BodyDeadline}
 * and keeps one sample of (active time, bytes) per second of active time, so the window slides
 * without keeping a timestamp per read. Not thread-safe (one event loop).
 */
public final class BodyRate {
    public enum Verdict { OK, TOO_SLOW, TOO_LONG }

    private static final long SECOND = 1_000_000_000L;

    private final Clock clock;
    private final long minRate;
    private final long graceNanos;
    private final long windowNanos;
    private final long timeoutNanos;
    private final long[] sampleActive; // ring of samples, one per second of active time at most
    private final long[] sampleBytes;
    private int samples;
    private int head; // index of the oldest sample
    private long bytes;
    private long activeBefore; // active time accumulated before the current running stretch
    private long runningSince; // start of the current running stretch; meaningful while !paused
    private boolean paused;

    public BodyRate(HttpLimits limits, Clock clock) {
        this(limits.minBodyRate(), limits.bodyGrace().toNanos(), limits.bodyRateWindow().toNanos(), limits.bodyTimeout().toNanos(), clock);
    }

    BodyRate(long minRate, long graceNanos, long windowNanos, long timeoutNanos, Clock clock) {
        this.clock = clock;
        this.minRate = minRate;
        this.graceNanos = graceNanos;
        this.windowNanos = windowNanos;
        this.timeoutNanos = timeoutNanos;
        int n = (int) (windowNanos / SECOND) + 2;
        sampleActive = new long[n];
        sampleBytes = new long[n];
        runningSince = clock.nanoTime();
        push(0, 0);
    }

    /** True when neither a rate nor a ceiling is configured: no meter needed. */
    public static boolean off(HttpLimits limits) {
        return limits.minBodyRate() == 0 && limits.bodyTimeout().isZero();
    }

    public void received(long n) { bytes += n; }

    /** The edge stopped (true) or resumed (false) reading the body; paused time is not the client's. */
    public void paused(boolean pause) {
        if (pause == paused) return;
        long now = clock.nanoTime();
        if (pause) activeBefore += now - runningSince;
        else runningSince = now;
        paused = pause;
    }

    /** Active (client's) time since the body began. */
    public long activeNanos() {
        return paused ? activeBefore : activeBefore + clock.nanoTime() - runningSince;
    }

    public Verdict check() {
        long active = activeNanos();
        if (timeoutNanos > 0 && active >= timeoutNanos) return Verdict.TOO_LONG;
        Verdict v = Verdict.OK;
        if (minRate > 0 && active >= graceNanos) {
            int base = baseline(active - windowNanos);
            long span = active - sampleActive[base];
            // bytes < rate × span, in integers: bytes × 1e9 < rate × span (no overflow below 9 EB/s·s)
            if (span > 0 && (double) (bytes - sampleBytes[base]) * SECOND < (double) minRate * span) v = Verdict.TOO_SLOW;
        }
        if (active - sampleActive[last()] >= SECOND) push(active, bytes);
        return v;
    }

    /** The newest sample taken at or before {@code at}, or the oldest one kept. */
    private int baseline(long at) {
        int best = head;
        for (int i = 0; i < samples; i++) {
            int k = (head + i) % sampleActive.length;
            if (sampleActive[k] <= at) best = k;
            else break;
        }
        return best;
    }

    private int last() { return (head + samples - 1) % sampleActive.length; }

    private void push(long active, long total) {
        if (samples == sampleActive.length) { // the oldest is more than a window old: drop it
            head = (head + 1) % sampleActive.length;
            samples--;
        }
        int k = (head + samples) % sampleActive.length;
        sampleActive[k] = active;
        sampleBytes[k] = total;
        samples++;
    }
}
