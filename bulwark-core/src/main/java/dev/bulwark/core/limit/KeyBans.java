package dev.bulwark.core.limit;

/**
 * Where a {@link RateLimiter} bans the keys (64-bit hashes) that tripped a rule. One process
 * uses a {@link BoundedBanTable}; a cluster passes a table whose bans every node learns, so a key
 * tripped on one node is refused on all of them. Both calls run on the request path: they never
 * block, and lookups never allocate.
 */
public interface KeyBans {
    /** Nanoseconds until the key's ban ends, or 0 when it is not banned. */
    long remainingNanos(long hash);

    /**
     * Bans the key for {@code ttlNanos} from now (a longer existing ban is kept); {@code label}
     * says why (the rule id). False only when contention kept the ban from a slot this time.
     */
    boolean ban(long hash, long ttlNanos, Object label);
}
