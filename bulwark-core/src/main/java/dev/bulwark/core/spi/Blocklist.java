package dev.bulwark.core.spi;

import dev.bulwark.core.net.Cidr;

import java.time.Duration;
import java.util.List;

/**
 * Bans with expiry, shared by every part of the edge (connection guard, access phase, rate
 * limits, HTTP/2 flood detection) and, in cluster mode, by every edge node.
 *
 * <p>Queries ({@link #isBanned(byte[])}, {@link #isKeyBanned(long)}) run on event loops for
 * every connection or request: implementations answer them from local memory without I/O or
 * allocation. Bans made elsewhere in a cluster may reach the local copy a little later.
 * Mutations may do I/O asynchronously but never block the caller.
 */
public interface Blocklist {
    /** What a ban applies to. */
    enum Kind { ADDRESS, PREFIX, KEY }

    /**
     * One ban, as the admin API lists it.
     *
     * @param subject the banned address or prefix in CIDR form ("203.0.113.0/24"), or the key
     * @param expiresAtMillis wall-clock end of the ban
     */
    record Ban(Kind kind, String subject, long expiresAtMillis, String reason) {}

    /** Bans a single address ({@code /32} or {@code /128}) or a whole range for {@code ttl}. */
    void ban(Cidr range, Duration ttl, String reason);

    /** Bans an opaque key (for example a rate-limit key or an API token) for {@code ttl}. */
    void banKey(String key, Duration ttl, String reason);

    /** Lifts a ban on the exact range; true when one was lifted. */
    boolean unban(Cidr range);

    boolean unbanKey(String key);

    /** True when the address, or a banned range containing it, is banned now. Never blocks. */
    boolean isBanned(byte[] address);

    /** True when the key is banned now; {@code keyHash} is {@link #keyHash(String)} of the key. */
    boolean isKeyBanned(long keyHash);

    /** Live bans, soonest expiry first, at most {@code limit} of them. */
    List<Ban> list(int limit);

    /** The hash {@link #isKeyBanned(long)} expects, computed once per key by the caller. */
    static long keyHash(String key) { return dev.bulwark.core.limit.KeyHash.of(key); }
}
