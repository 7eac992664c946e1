package dev.bulwark.core.limit;

import dev.bulwark.core.spi.SharedCounters;

import java.time.Duration;

/**
 * At most {@code limit} attempts per key in any {@code period} (the sliding-window estimate of
 * {@link SharedCounters}), for rare actions an attacker would repeat to guess something, such as
 * signing in. Counted in the counters it is given: the fleet's in cluster mode, so every node
 * counts the same attempts, where a limit per node would multiply an attacker's guesses by the
 * number of nodes. Each attempt waits for the fleet's count
 * ({@link SharedCounters.Window#incrementAndGetSynced}), so call it off the request path.
 * Refused attempts count too: a client that keeps trying stays refused.
 */
public final class AttemptLimit {
    private final String scope;
    private final int limit;
    private final Duration period;
    private final long retryAfterSeconds;

    /** {@code scope} keeps this limit's keys apart from every other user of the same counters. */
    public AttemptLimit(String scope, int limit, Duration period) {
        if (limit < 1) throw new IllegalArgumentException("an attempt limit needs at least 1 attempt, got " + limit);
        if (period.toSeconds() < 1) throw new IllegalArgumentException("an attempt limit needs a period of at least 1 s, got " + period);
        this.scope = scope;
        this.limit = limit;
        this.period = period;
        // the estimate falls by about one attempt each period/limit once the client stops
        this.retryAfterSeconds = Math.max(1, (period.toSeconds() + limit - 1) / limit);
    }

    public int limit() { return limit; }

    public Duration period() { return period; }

    /** Counts one attempt for {@code key}; returns 0 when it is allowed, else the seconds to wait before the next. */
    public long attempt(SharedCounters counters, String key) {
        long hash = KeyHash.finish(KeyHash.mix(KeyHash.mix(KeyHash.seed(), scope), key));
        return counters.window(period).incrementAndGetSynced(hash, 1) <= limit ? 0 : retryAfterSeconds;
    }
}
