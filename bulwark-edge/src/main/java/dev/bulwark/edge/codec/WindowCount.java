package dev.bulwark.edge.codec;

/**
 * A count over a sliding window, estimated from two fixed windows as the rate limiter does:
 * {@code previous × (1 − elapsed/period) + current}. Two numbers and a timestamp; the caller
 * passes the time (an injected clock), so tests need no sleeping.
 */
final class WindowCount {
    private final long period;
    private long start;
    private long current;
    private long previous;

    WindowCount(long periodNanos, long now) {
        this.period = periodNanos;
        this.start = now;
    }

    /** Adds {@code n} at {@code now} and returns the estimate over the last period. */
    long add(long now, long n) {
        roll(now);
        current += n;
        return estimate0(now);
    }

    long estimate(long now) {
        roll(now);
        return estimate0(now);
    }

    private long estimate0(long now) {
        double remaining = 1.0 - (double) (now - start) / period;
        return (long) (previous * remaining) + current;
    }

    private void roll(long now) {
        long elapsed = now - start;
        if (elapsed < period) return;
        previous = elapsed < 2 * period ? current : 0;
        current = 0;
        start += (elapsed / period) * period;
    }
}
