package dev.bulwark.core.limit;

import dev.bulwark.core.time.Clock;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Sliding-window event rate per key, in the manner of Pingora's {@code Rate}: two count-min
 * sketches, one for the current fixed window and one for the previous, swapped every period.
 * The estimate for a key is
 * <pre>  previous × (1 − elapsed/period) + current</pre>
 * which weights the previous window by how much of it still overlaps the sliding period
 * (the approximation nginx and Cloudflare also use). Memory is two sketches whatever the number
 * of keys. The sketches use conservative update (see {@link CountMinSketch}), so a flood of
 * distinct keys inflates the counts of innocent keys far less than with plain count-min.
 *
 * <p>Concurrency: lock-free. {@link #observe} adds to the current sketch with atomic adds; the
 * first caller that sees a new window wins a CAS, clears the sketch that becomes current and
 * publishes the new window. While that clear runs (tens of µs for the default shape) other
 * callers do not count and see only the previous window; a handful of events at a window edge
 * may be lost, never invented (and see {@link CountMinSketch} on
 * simultaneous updates of one key). Nothing is allocated per call.
 */
public final class SlidingWindowEstimator {
    private final CountMinSketch[] sketches;
    private final Clock clock;
    private final long periodNanos;
    private final long origin;
    /** Index of the current window; {@code -1 - index} while a thread is rolling to {@code index}. */
    private final AtomicLong state = new AtomicLong();

    public SlidingWindowEstimator(Duration period, SketchShape shape, Clock clock) {
        if (period == null || period.isNegative() || period.isZero()) throw new IllegalArgumentException("rate window period must be positive, got " + period);
        this.periodNanos = period.toNanos();
        this.clock = clock;
        this.origin = clock.nanoTime();
        this.sketches = new CountMinSketch[]{new CountMinSketch(shape.width(), shape.depth(), true), new CountMinSketch(shape.width(), shape.depth(), true)};
    }

    public Duration period() { return Duration.ofNanos(periodNanos); }

    /** Counts {@code events} for the key and returns its sliding-window estimate, this call included. */
    public long observe(long keyHash, long events) {
        long now = clock.nanoTime();
        long idx = windowIndex(now);
        long s = state.get();
        if (s >= 0 && idx > s) s = roll(s, idx);
        if (s < 0) { // another thread is clearing: answer from the previous window only
            long rolling = -1 - s;
            long prev = sketches[(int) ((rolling - 1) & 1)].estimate(keyHash);
            return weighted(prev, now, rolling) + events;
        }
        long cur = sketches[(int) (s & 1)].add(keyHash, events);
        long prev = sketches[(int) ((s - 1) & 1)].estimate(keyHash);
        return weighted(prev, now, s) + cur;
    }

    /** The key's sliding-window estimate without counting anything. */
    public long estimate(long keyHash) {
        long now = clock.nanoTime();
        long idx = windowIndex(now);
        long s = state.get();
        if (s < 0) s = -1 - s;
        if (idx <= s) {
            return weighted(sketches[(int) ((s - 1) & 1)].estimate(keyHash), now, s) + sketches[(int) (s & 1)].estimate(keyHash);
        }
        if (idx == s + 1) { // nobody has rolled yet: the stored current window is now the previous one
            return weighted(sketches[(int) (s & 1)].estimate(keyHash), now, idx);
        }
        return 0;
    }

    private long roll(long seen, long idx) {
        if (!state.compareAndSet(seen, -1 - idx)) return state.get();
        CountMinSketch next = sketches[(int) (idx & 1)];
        next.clear(); // held window seen-1 (or older): stale either way
        if (idx > seen + 1) sketches[(int) ((idx - 1) & 1)].clear(); // a whole window passed with no traffic
        state.set(idx);
        return idx;
    }

    private long windowIndex(long now) {
        long d = now - origin;
        return d <= 0 ? 0 : d / periodNanos;
    }

    private long weighted(long previous, long now, long window) {
        if (previous == 0) return 0;
        long elapsed = now - origin - window * periodNanos;
        if (elapsed <= 0) return previous;
        if (elapsed >= periodNanos) return 0;
        double remaining = 1.0 - (double) elapsed / periodNanos;
        return (long) Math.ceil(previous * remaining);
    }

    public long sizeInBytes() { return sketches[0].sizeInBytes() * 2; }
}
