package dev.bulwark.core.challenge;

import dev.bulwark.core.spi.KeyRing;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * An immutable view of a key ring: the current key and the previous keys still accepted.
 * Key rings swap a whole KeySet atomically, so the request path reads one consistent set
 * with a single volatile read and a scan over at most a handful of keys.
 */
public final class KeySet {
    public static final int SECRET_BYTES = 32;

    private final KeyRing.Key[] keys; // current first

    private KeySet(KeyRing.Key[] keys) {
        if (keys.length == 0) throw new IllegalArgumentException("a key set needs a current key");
        this.keys = keys;
    }

    /** {@code keys.get(0)} is current; ids must be distinct. */
    public static KeySet of(List<KeyRing.Key> keys) {
        KeyRing.Key[] a = keys.toArray(new KeyRing.Key[0]);
        for (int i = 0; i < a.length; i++)
            for (int j = i + 1; j < a.length; j++)
                if (a[i].id() == a[j].id()) throw new IllegalArgumentException("duplicate key id " + Integer.toHexString(a[i].id()));
        return new KeySet(a);
    }

    /** A fresh random key whose id differs from every key in {@code taken}. */
    public static KeyRing.Key newKey(SecureRandom random, long now, KeySet taken) {
        byte[] secret = new byte[SECRET_BYTES];
        random.nextBytes(secret);
        int id;
        do {
            id = random.nextInt();
        } while (taken != null && taken.find(id) != null);
        return new KeyRing.Key(id, secret, now);
    }

    public KeyRing.Key current() { return keys[0]; }

    public KeyRing.Key find(int id) {
        for (KeyRing.Key k : keys) if (k.id() == id) return k;
        return null;
    }

    public List<KeyRing.Key> keys() { return List.of(keys); }

    /** A new set with {@code fresh} current, keeping at most {@code previous} older keys. */
    public KeySet rotate(KeyRing.Key fresh, int previous) {
        List<KeyRing.Key> out = new ArrayList<>();
        out.add(fresh);
        for (int i = 0; i < keys.length && out.size() <= previous; i++) out.add(keys[i]);
        return of(out);
    }

    /** Same keys in the same order: lets shared rings keep their old objects (and warm Macs) on refresh. */
    public boolean sameAs(KeySet other) {
        return other != null && Arrays.equals(keys, other.keys);
    }
}
