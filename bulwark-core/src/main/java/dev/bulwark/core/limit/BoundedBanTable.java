package dev.bulwark.core.limit;

import dev.bulwark.core.time.Clock;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Keys (64-bit hashes) that are banned until a deadline, in a fixed number of slots, so an
 * attacker with millions of addresses cannot grow it: memory is {@code 16 bytes × capacity}
 * (plus a reference per slot when labels are kept) from construction on.
 *
 * <p>Layout: one {@link AtomicLongArray} of (key, expiry) pairs grouped in buckets of four
 * slots (64 bytes, one cache line). A key may live in any slot of its two buckets, chosen by
 * two independent parts of its hash (two-choice hashing keeps the table usable close to full,
 * where linear probing would cluster); lookups scan those {@value #PROBE} slots, so deletion
 * needs no tombstones. When all of them hold live bans the one that expires first is
 * evicted — the key closest to parole loses its place, which is the cheapest ban to lose.
 *
 * <p>Concurrency: lock-free. A writer claims a free or evicted slot by CASing its expiry to a
 * claim marker, writes the key, then publishes the expiry; a reader reads key, expiry, and the
 * key again, so it never pairs one key with another key's expiry. Lookups allocate nothing.
 * Expiries are stored relative to the table's creation so 0 can mean "empty" with any clock.
 */
public final class BoundedBanTable implements KeyBans {
    static final int PROBE = 8;
    private static final long EMPTY = 0;
    private static final long CLAIMED = -1;

    private final AtomicLongArray slots;
    private final AtomicReferenceArray<Object> labels;
    private final int mask;
    private final int bucketMask;
    private final Clock clock;
    private final long origin;
    private final AtomicLong evictions = new AtomicLong();

    /** A table for {@code capacity} bans (rounded up to a power of two). */
    public BoundedBanTable(int capacity, Clock clock) { this(capacity, clock, false); }

    /**
     * @param keepLabels also keep one object per ban (for example a description for the admin
     *                   API), returned by {@link #forEachLive}
     */
    public BoundedBanTable(int capacity, Clock clock, boolean keepLabels) {
        if (capacity < PROBE || capacity > 1 << 26) throw new IllegalArgumentException("ban table capacity must be " + PROBE + ".." + (1 << 26) + ", got " + capacity);
        int cap = Integer.highestOneBit(capacity - 1) << 1;
        this.mask = cap - 1;
        this.bucketMask = cap / 4 - 1;
        this.slots = new AtomicLongArray(cap * 2);
        this.labels = keepLabels ? new AtomicReferenceArray<>(cap) : null;
        this.clock = clock;
        this.origin = clock.nanoTime() - 1; // stored expiries are > 0
    }

    public int capacity() { return mask + 1; }

    /** Bans that lost their slot to a newer ban since creation. */
    public long evictions() { return evictions.get(); }

    private long now() { return clock.nanoTime() - origin; }

    /** Array index of the key of the i-th candidate slot (0..PROBE-1) of a hash. */
    private int slot(long hash, int i) {
        int bucket = (int) (i < 4 ? hash >>> 16 : hash >>> 40) & bucketMask;
        return ((bucket << 2) | (i & 3)) << 1;
    }

    /** Nanoseconds until the key's ban ends, or 0 when it is not banned. Never allocates. */
    @Override
    public long remainingNanos(long hash) {
        long now = now();
        for (int i = 0; i < PROBE; i++) {
            int s = slot(hash, i);
            if (slots.get(s) != hash) continue;
            long e = slots.get(s + 1);
            if (slots.get(s) != hash) continue;
            if (e > now) return e - now;
        }
        return 0;
    }

    public boolean isBanned(long hash) { return remainingNanos(hash) > 0; }

    public boolean ban(long hash, Duration ttl) { return ban(hash, ttl.toNanos(), null); }

    /**
     * Bans the key for {@code ttlNanos} from now; an existing longer ban is kept. Returns false
     * only when contention kept it from finding a slot (the caller simply retries on the next
     * request).
     */
    @Override
    public boolean ban(long hash, long ttlNanos, Object label) {
        if (hash == EMPTY) hash = KeyHash.ZERO_REPLACEMENT;
        if (ttlNanos <= 0) return true;
        for (int attempt = 0; attempt < 4; attempt++) {
            long now = now();
            long until = now + ttlNanos;
            int victim = -1;
            long victimExpiry = Long.MAX_VALUE;
            int free0 = -1, free1 = -1, count0 = 0, count1 = 0;
            long expiry0 = 0, expiry1 = 0;
            for (int i = 0; i < PROBE; i++) {
                int s = slot(hash, i);
                long k = slots.get(s);
                long e = slots.get(s + 1);
                if (k == hash && e != CLAIMED && e > now) { // already banned: extend if this one is longer
                    while (e < until) {
                        if (slots.compareAndSet(s + 1, e, until)) break;
                        e = slots.get(s + 1);
                        if (e <= now || slots.get(s) != hash) break;
                    }
                    if (e > now && slots.get(s) == hash) {
                        if (labels != null && label != null) labels.set(s >> 1, label);
                        return true;
                    }
                    continue;
                }
                if (e == CLAIMED) continue;
                if (e <= now) {
                    if (i < 4) {
                        if (count0++ == 0) { free0 = s; expiry0 = e; }
                    } else if (count1++ == 0) { free1 = s; expiry1 = e; }
                } else if (e < victimExpiry) {
                    victim = s;
                    victimExpiry = e;
                }
            }
            // two-choice: the bucket with more free slots, so both fill evenly
            boolean victimFree = count0 + count1 > 0;
            if (victimFree) {
                victim = count1 > count0 ? free1 : free0;
                victimExpiry = count1 > count0 ? expiry1 : expiry0;
            }
            if (victim < 0) continue;
            if (!slots.compareAndSet(victim + 1, victimExpiry, CLAIMED)) continue;
            if (!victimFree) evictions.incrementAndGet();
            slots.set(victim, hash);
            if (labels != null) labels.set(victim >> 1, label);
            slots.set(victim + 1, until);
            return true;
        }
        return false;
    }

    /** Lifts the key's ban; true when it was banned. */
    public boolean unban(long hash) {
        long now = now();
        boolean lifted = false;
        for (int i = 0; i < PROBE; i++) {
            int s = slot(hash, i);
            if (slots.get(s) != hash) continue;
            long e = slots.get(s + 1);
            if (e > now && slots.compareAndSet(s + 1, e, EMPTY)) lifted = true;
        }
        return lifted;
    }

    /** Receives each live ban. */
    @FunctionalInterface
    public interface BanVisitor {
        void visit(long hash, long remainingNanos, Object label);
    }

    /** Visits live bans (O(capacity); for admin listings, not the request path). */
    public void forEachLive(BanVisitor visitor) {
        long now = now();
        for (int i = 0; i <= mask; i++) {
            int s = i << 1;
            long k = slots.get(s);
            long e = slots.get(s + 1);
            Object label = labels == null ? null : labels.get(i);
            if (k != EMPTY && e > now && slots.get(s) == k) visitor.visit(k, e - now, label);
        }
    }

    /** Number of live bans (O(capacity)). */
    public int size() {
        int[] n = {0};
        forEachLive((k, r, l) -> n[0]++);
        return n[0];
    }

    public long sizeInBytes() { return 16L * (mask + 1) + (labels == null ? 0 : 8L * (mask + 1)); }
}
