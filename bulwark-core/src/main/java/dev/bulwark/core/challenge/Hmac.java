package dev.bulwark.core.challenge;

import dev.bulwark.core.spi.KeyRing;

import javax.crypto.Mac;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.SecretKeySpec;
import java.security.GeneralSecurityException;

/**
 * HMAC-SHA256 with one initialised {@link Mac} per key per thread, so signing and verifying
 * on an event loop neither allocates nor re-derives the key pads. A thread keeps a few keys
 * (current and previous ones); a key it has not seen replaces the oldest slot.
 */
final class Hmac {
    static final int TAG_BYTES = 32;
    private static final int SLOTS = 4;

    private static final ThreadLocal<Hmac> LOCAL = ThreadLocal.withInitial(Hmac::new);

    private final KeyRing.Key[] keys = new KeyRing.Key[SLOTS];
    private final Mac[] macs = new Mac[SLOTS];
    private int next;
    /** Scratch space for the expected tag when verifying. */
    private final byte[] expected = new byte[TAG_BYTES];
    /** Scratch space a token or cookie is decoded into; one per thread, reused by every request. */
    final byte[] buffer = new byte[Envelope.MAX_BYTES];

    private Hmac() {}

    static Hmac local() { return LOCAL.get(); }

    private Mac mac(KeyRing.Key key) {
        for (int i = 0; i < SLOTS; i++) {
            KeyRing.Key k = keys[i];
            if (k == key || (k != null && k.id() == key.id() && k.createdAtMillis() == key.createdAtMillis()
                    && java.util.Arrays.equals(k.secretUnsafe(), key.secretUnsafe()))) {
                return macs[i];
            }
        }
        try {
            Mac m = Mac.getInstance("HmacSHA256");
            m.init(new SecretKeySpec(key.secretUnsafe(), "HmacSHA256"));
            int slot = next;
            next = (next + 1) % SLOTS;
            keys[slot] = key;
            macs[slot] = m;
            return m;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    /** Writes the tag of {@code data[off, off+len)} to {@code out[outOff..outOff+32)}. */
    void sign(KeyRing.Key key, byte[] data, int off, int len, byte[] out, int outOff) {
        Mac m = mac(key);
        m.update(data, off, len);
        try {
            m.doFinal(out, outOff);
        } catch (ShortBufferException e) {
            throw new IllegalArgumentException("no room for the tag", e);
        }
    }

    /** True when {@code data[tagOff..tagOff+32)} is the tag of {@code data[off, off+len)}; constant time. */
    boolean verify(KeyRing.Key key, byte[] data, int off, int len, int tagOff) {
        sign(key, data, off, len, expected, 0);
        int diff = 0;
        for (int i = 0; i < TAG_BYTES; i++) diff |= expected[i] ^ data[tagOff + i];
        return diff == 0;
    }
}
