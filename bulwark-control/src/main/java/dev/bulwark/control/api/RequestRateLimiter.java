package dev.bulwark.control.api;

import dev.bulwark.core.time.Clock;

/**
 * The API's own rate limit: a token bucket per caller (token id, or client address for
 * unauthenticated calls) in a fixed table of {@code slots} buckets addressed by hash. Memory
 * never grows with the number of callers; when two callers share a slot the newer one takes
 * it over (its bucket starts full), which can only make the limit more lenient for them, never
 * lock out a legitimate caller. Synchronised per slot; the API is not a hot path.
 */
public final class RequestRateLimiter {
    private final Clock clock;
    private final double perSecond;
    private final double burst;
    private final String[] keys;
    private final double[] tokens;
    private final long[] lastNanos;

    public RequestRateLimiter(Clock clock, double perSecond, double burst, int slots) {
        this.clock = clock;
        this.perSecond = perSecond;
        this.burst = burst;
        this.keys = new String[slots];
        this.tokens = new double[slots];
        this.lastNanos = new long[slots];
    }

    /** Takes one token for {@code key}; returns 0 when allowed, else seconds until a token is available. */
    public long acquire(String key) {
        int slot = Math.floorMod(key.hashCode() * 0x9E3779B9, keys.length);
        long now = clock.nanoTime();
        synchronized (keys) {
            if (!key.equals(keys[slot])) {
                keys[slot] = key;
                tokens[slot] = burst;
                lastNanos[slot] = now;
            }
            double t = Math.min(burst, tokens[slot] + (now - lastNanos[slot]) / 1e9 * perSecond);
            lastNanos[slot] = now;
            if (t >= 1) {
                tokens[slot] = t - 1;
                return 0;
            }
            tokens[slot] = t;
            return Math.max(1, (long) Math.ceil((1 - t) / perSecond));
        }
    }
}
