package dev.bulwark.core.spi;

import java.util.Arrays;
import java.util.List;

/**
 * The secrets that sign challenge tokens and clearance cookies, shared by every edge node.
 *
 * <p>There is always one current key (used to sign) and zero or more previous keys (still
 * accepted when verifying), so a rotation does not log every visitor out: cookies signed
 * by the previous key stay valid until they expire or that key is retired.
 *
 * <p>{@link #current()} and {@link #find(int)} sit on the request path: implementations
 * answer them from memory, without I/O or locks. Shared implementations (Redis) refresh
 * their in-memory view in the background.
 */
public interface KeyRing {
    /** Key that signs new tokens and cookies. */
    Key current();

    /** Key with this id if it is still accepted, else null. */
    Key find(int id);

    /** All accepted keys, current first. */
    List<Key> keys();

    /** Makes a fresh random key current; the old current key becomes a previous key. */
    void rotate();

    /**
     * Rotates when the newest key was created more than {@code maxAge} before {@code nowMillis};
     * returns whether it did. Every node may call this on a timer: shared implementations make
     * the check and the rotation one atomic step, so a cluster rotates once per period.
     */
    default boolean rotateIfOlderThan(java.time.Duration maxAge, long nowMillis) {
        long newest = Long.MIN_VALUE;
        for (Key k : keys()) newest = Math.max(newest, k.createdAtMillis());
        if (nowMillis - newest < maxAge.toMillis()) return false;
        rotate();
        return true;
    }

    /**
     * One HMAC secret. The id travels inside every token and cookie so the verifier can
     * pick the right key after a rotation.
     */
    record Key(int id, byte[] secret, long createdAtMillis) {
        public static final int MIN_SECRET_BYTES = 32;

        public Key {
            if (secret == null || secret.length < MIN_SECRET_BYTES)
                throw new IllegalArgumentException("key secret must have at least " + MIN_SECRET_BYTES + " bytes");
            secret = secret.clone();
        }

        @Override public byte[] secret() { return secret.clone(); }

        /** The secret without a defensive copy, for the signing code in this process only. */
        public byte[] secretUnsafe() { return secret; }

        @Override public boolean equals(Object o) {
            return o instanceof Key k && k.id == id && k.createdAtMillis == createdAtMillis && Arrays.equals(k.secret, secret);
        }

        @Override public int hashCode() { return id; }

        @Override public String toString() { return "Key[id=" + Integer.toUnsignedString(id, 16) + "]"; }
    }
}
