package dev.bulwark.core.challenge;

import dev.bulwark.core.spi.KeyRing;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The signed binary wrapper shared by challenge tokens and clearance cookies:
 * {@code version(1) kind(1) keyId(4) claims… tag(32)}, Base64url without padding.
 * The tag is HMAC-SHA256 over everything before it, so the kind byte keeps a token from
 * being accepted as a cookie and the other way round.
 */
final class Envelope {
    static final byte VERSION = 1;
    static final int HEADER = 6;
    /** Largest envelope accepted; bounds the work an attacker can make us do. */
    static final int MAX_BYTES = 3072;

    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);

    private Envelope() {}

    static void putLong(byte[] b, int off, long v) { LONG.set(b, off, v); }
    static long getLong(byte[] b, int off) { return (long) LONG.get(b, off); }
    static void putInt(byte[] b, int off, int v) { INT.set(b, off, v); }
    static int getInt(byte[] b, int off) { return (int) INT.get(b, off); }

    /** Writes the header into {@code buf}, signs {@code buf[0, claimsEnd)} and returns the encoded text. */
    static String seal(byte[] buf, byte kind, int claimsEnd, KeyRing.Key key) {
        buf[0] = VERSION;
        buf[1] = kind;
        putInt(buf, 2, key.id());
        Hmac.local().sign(key, buf, 0, claimsEnd, buf, claimsEnd);
        return Base64Url.encode(buf, 0, claimsEnd + Hmac.TAG_BYTES);
    }

    /**
     * Decodes {@code s[from, to)} into {@code buf} and checks version, kind, length and tag.
     * Returns the length of the claims (tag excluded), or -1 when anything is wrong.
     */
    static int open(CharSequence s, int from, int to, byte kind, int minClaims, KeyRing ring, byte[] buf) {
        if (to - from > (MAX_BYTES * 4 + 2) / 3) return -1;
        int n = Base64Url.decode(s, from, to, buf);
        int claimsEnd = n - Hmac.TAG_BYTES;
        if (n < 0 || claimsEnd < minClaims || buf[0] != VERSION || buf[1] != kind) return -1;
        KeyRing.Key key = ring.find(getInt(buf, 2));
        if (key == null) return -1;
        return Hmac.local().verify(key, buf, 0, claimsEnd, claimsEnd) ? claimsEnd : -1;
    }
}
