package dev.bulwark.core.limit;

import dev.bulwark.core.net.Cidr;
import dev.bulwark.core.spi.Blocklist;
import dev.bulwark.core.time.Clock;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * {@link Blocklist} for one process: two {@link BoundedBanTable}s (ranges and keys), so
 * memory is fixed however many bans an attack provokes; when full, the ban nearest to its end
 * is evicted.
 *
 * <p>Range bans are stored under the hash of (family, prefix length, network). A query hashes
 * the address once per prefix length that has ever been banned (a bit set, usually two or three
 * lengths: /32 and /24, or /128 and /64) — no allocation, no scan of the bans.
 */
public final class InMemoryBlocklist implements Blocklist {
    private final BoundedBanTable ranges;
    private final BoundedBanTable keys;
    private final Clock clock;
    /** Prefix lengths in use: word 0 for IPv4 (0..32), words 1..3 for IPv6 (0..128). */
    private final AtomicLongArray lengths = new AtomicLongArray(4);

    public InMemoryBlocklist(int capacity, Clock clock) {
        this.ranges = new BoundedBanTable(capacity, clock, true);
        this.keys = new BoundedBanTable(capacity, clock, true);
        this.clock = clock;
    }

    @Override
    public void ban(Cidr range, Duration ttl, String reason) {
        ban(range, ttl.toNanos(), clock.currentTimeMillis() + ttl.toMillis(), reason);
    }

    /** Installs a range ban with a known wall-clock end (used when mirroring a shared blocklist). */
    public void ban(Cidr range, long ttlNanos, long expiresAtMillis, String reason) {
        byte[] net = range.network();
        markLength(net.length, range.prefixLength());
        ranges.ban(KeyHash.prefix(net, range.prefixLength()), ttlNanos, new Ban(range.prefixLength() == net.length * 8 ? Kind.ADDRESS : Kind.PREFIX, range.toString(), expiresAtMillis, reason));
    }

    @Override
    public void banKey(String key, Duration ttl, String reason) {
        banKey(key, ttl.toNanos(), clock.currentTimeMillis() + ttl.toMillis(), reason);
    }

    public void banKey(String key, long ttlNanos, long expiresAtMillis, String reason) {
        keys.ban(Blocklist.keyHash(key), ttlNanos, new Ban(Kind.KEY, key, expiresAtMillis, reason));
    }

    /**
     * Bans a key known only by its hash (a rate-limit key, hashed straight from the request);
     * it is listed as {@link #hashSubject(long)}. Used by a cluster blocklist to mirror the
     * fleet's rate-limit bans.
     */
    public void banKeyHash(long hash, long ttlNanos, long expiresAtMillis, String reason) {
        keys.ban(hash, ttlNanos, new Ban(Kind.KEY, hashSubject(hash), expiresAtMillis, reason));
    }

    /** Nanoseconds until the key's ban ends, 0 when it is not banned. Never allocates. */
    public long keyBanRemainingNanos(long keyHash) { return keys.remainingNanos(keyHash); }

    /** How a key banned by hash appears in {@link #list}: {@code #} and the hash in hex. */
    public static String hashSubject(long hash) { return "#" + Long.toHexString(hash); }

    @Override
    public boolean unban(Cidr range) { return ranges.unban(KeyHash.prefix(range.network(), range.prefixLength())); }

    @Override
    public boolean unbanKey(String key) { return keys.unban(Blocklist.keyHash(key)); }

    @Override
    public boolean isBanned(byte[] address) {
        if (address.length == 4) {
            long w = lengths.get(0);
            while (w != 0) {
                int len = Long.numberOfTrailingZeros(w);
                if (ranges.isBanned(KeyHash.prefix(address, len))) return true;
                w &= w - 1;
            }
            return false;
        }
        for (int word = 1; word < 4; word++) {
            long w = lengths.get(word);
            while (w != 0) {
                int len = (word - 1) * 64 + Long.numberOfTrailingZeros(w);
                if (ranges.isBanned(KeyHash.prefix(address, len))) return true;
                w &= w - 1;
            }
        }
        return false;
    }

    @Override
    public boolean isKeyBanned(long keyHash) { return keys.isBanned(keyHash); }

    @Override
    public List<Ban> list(int limit) {
        List<Ban> out = new ArrayList<>();
        BoundedBanTable.BanVisitor collect = (hash, remaining, label) -> { if (label instanceof Ban b) out.add(b); };
        ranges.forEachLive(collect);
        keys.forEachLive(collect);
        out.sort(Comparator.comparingLong(Ban::expiresAtMillis));
        return out.size() > limit ? List.copyOf(out.subList(0, limit)) : List.copyOf(out);
    }

    private void markLength(int family, int len) {
        int word = family == 4 ? 0 : 1 + len / 64;
        long bit = 1L << (family == 4 ? len : len % 64);
        long w;
        do {
            w = lengths.get(word);
        } while ((w & bit) == 0 && !lengths.compareAndSet(word, w, w | bit));
    }
}
