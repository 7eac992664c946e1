package dev.bulwark.core.limit;

/**
 * 64-bit hashing of key parts without allocating: callers fold each part into a running
 * value ({@code h = KeyHash.mix(h, part)}) and finish with {@link #finish(long)}.
 *
 * <p>FNV-1a over the bytes/chars, then the murmur3 64-bit finaliser, so the result is well
 * spread in both halves (count-min rows and table slots take different bits of it). Parts are
 * length-delimited so ("ab","c") and ("a","bc") hash differently. Not cryptographic: an
 * attacker who can predict it can aim collisions at one sketch cell, which only makes their own
 * keys look hotter, or at an innocent key's cells to get it limited; a secret {@link #seed()}
 * makes that prediction impractical.
 *
 * <p>The seed is random per process unless the system property {@value #SEED_PROPERTY} sets it.
 * Edge nodes that share counters or bans through a cluster store must use the same value (a
 * cluster secret), since the hashes are the shared keys: cluster mode reads the fleet's seed from
 * Redis and installs it with {@link #useFleetSeed(String)} before the edge starts.
 */
public final class KeyHash {
    private static final long FNV_PRIME = 0x100000001b3L;
    public static final String SEED_PROPERTY = "bulwark.keyhash.seed";
    /** Volatile so threads started before a fleet seed is installed see it; a plain load on x86. */
    private static volatile long seed = initialSeed();
    private static String fleetSecret;
    /** Value used for keys that hash to 0, because 0 marks an empty slot in the tables. */
    static final long ZERO_REPLACEMENT = 0x5bd1e9955bd1e995L;

    private KeyHash() {}

    private static long initialSeed() {
        String configured = System.getProperty(SEED_PROPERTY);
        if (configured == null || configured.isBlank()) return 0xcbf29ce484222325L ^ new java.security.SecureRandom().nextLong();
        return fold(configured);
    }

    private static long fold(String secret) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < secret.length(); i++) {
            h ^= secret.charAt(i);
            h *= FNV_PRIME;
        }
        return h;
    }

    /**
     * Makes {@code secret} (shared by every node of a fleet) the seed of all key hashes from now
     * on. Call it before anything is hashed, i.e. before the edge starts: hashes taken before
     * differ from those after. A process serves one fleet, so a second, different secret is refused.
     */
    public static synchronized void useFleetSeed(String secret) {
        if (secret == null || secret.length() < 16) throw new IllegalArgumentException("a fleet seed needs at least 16 characters");
        if (fleetSecret != null && !fleetSecret.equals(secret)) {
            throw new IllegalStateException("this process already uses another fleet's key-hash seed");
        }
        fleetSecret = secret;
        seed = fold(secret);
    }

    /** The fleet secret installed by {@link #useFleetSeed}, or null (a node joining a fleet offers it to a new Redis). */
    public static synchronized String fleetSeed() { return fleetSecret; }

    /** Starting value for a key: secret, random per process unless configured. */
    public static long seed() { return seed; }

    public static long mix(long h, long value) {
        for (int i = 0; i < 8; i++) {
            h ^= (value >>> (i * 8)) & 0xff;
            h *= FNV_PRIME;
        }
        return h;
    }

    public static long mix(long h, byte[] bytes) { return mix(h, bytes, 0, bytes.length); }

    public static long mix(long h, byte[] bytes, int from, int to) {
        for (int i = from; i < to; i++) {
            h ^= bytes[i] & 0xff;
            h *= FNV_PRIME;
        }
        return mix(h, (long) (to - from));
    }

    /** Mixes a string's UTF-16 chars; null mixes a distinct marker so "absent" differs from "". */
    public static long mix(long h, CharSequence s) {
        if (s == null) return mix(h, 0x9e3779b97f4a7c15L);
        return mix(h, s, 0, s.length());
    }

    public static long mix(long h, CharSequence s, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            h ^= c & 0xff;
            h *= FNV_PRIME;
            h ^= c >>> 8;
            h *= FNV_PRIME;
        }
        return mix(h, (long) (to - from));
    }

    /**
     * Hash of the first {@code bits} bits of an address (the network of that prefix), with the
     * family and length folded in; equal for every address of the same network. No allocation.
     */
    public static long prefix(byte[] address, int bits) {
        long h = mix(seed, (long) address.length << 8 | bits);
        int full = bits >>> 3;
        for (int i = 0; i < full; i++) {
            h ^= address[i] & 0xff;
            h *= FNV_PRIME;
        }
        int rem = bits & 7;
        if (rem != 0) {
            h ^= address[full] & (0xff << (8 - rem)) & 0xff;
            h *= FNV_PRIME;
        }
        return finish(h);
    }

    /** Final avalanche; never returns 0. */
    public static long finish(long h) {
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h == 0 ? ZERO_REPLACEMENT : h;
    }

    /** Convenience for tests and cold paths. */
    public static long of(String s) { return finish(mix(seed(), s)); }

    public static long of(long v) { return finish(mix(seed(), v)); }
}
