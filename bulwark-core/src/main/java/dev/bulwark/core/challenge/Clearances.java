package dev.bulwark.core.challenge;

import dev.bulwark.core.spi.KeyRing;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;

/**
 * Issues clearance cookies: proof that this visitor passed a challenge in this zone,
 * valid for a while from the same client prefix and user agent.
 *
 * <p>Binary layout (big-endian) inside the {@link Envelope}: id(12) level(1) zoneHash(8)
 * family(1) prefix(8) uaHash(8) issuedAt(4) expiresAt(4), times in unsigned epoch
 * seconds. Encoded it is 112 characters. The claims are kept at 52 bytes on purpose: with
 * the 64-byte HMAC pad and SHA-256 padding they fill exactly two blocks, so a verification
 * costs four SHA-256 compressions instead of five. The key id in the header lets any node holding the key
 * ring verify it, also after a rotation.
 */
public final class Clearances {
    public static final String COOKIE_NAME = "__bulwark_clearance";
    /** Level granted for waiting out the no-script page. */
    public static final int LEVEL_WAIT = 1;
    /** Level granted for solving the proof of work. */
    public static final int LEVEL_PROOF_OF_WORK = 2;
    /** 96-bit clearance ids. */
    public static final int ID_BYTES = 12;

    static final byte KIND = (byte) 'C';
    static final int ID = Envelope.HEADER;
    static final int LEVEL = ID + ID_BYTES;
    static final int ZONE = LEVEL + 1;
    static final int FAMILY = ZONE + 8;
    static final int PREFIX = FAMILY + 1;
    static final int UA = PREFIX + 8;
    static final int ISSUED = UA + 8;
    static final int EXPIRES = ISSUED + 4;
    static final int CLAIMS_END = EXPIRES + 4;

    private final KeyRing keys;

    /** Unsigned epoch seconds stored in a claim, as epoch milliseconds. */
    static long millis(byte[] b, int off) {
        return Integer.toUnsignedLong(Envelope.getInt(b, off)) * 1000L;
    }

    public Clearances(KeyRing keys) {
        this.keys = keys;
    }

    /** A signed cookie value granting {@code level} until {@code now + ttl}. */
    public String issue(String zoneId, InetAddress client, String userAgent, int level, byte[] clearanceId, long now, Duration ttl) {
        if (level < 1 || level > 255) throw new IllegalArgumentException("clearance level must be 1..255, got " + level);
        if (clearanceId == null || clearanceId.length != ID_BYTES) throw new IllegalArgumentException("clearance id must have " + ID_BYTES + " bytes");
        if (ttl.isNegative() || ttl.isZero()) throw new IllegalArgumentException("clearance lifetime must be positive, got " + ttl);
        byte[] b = new byte[CLAIMS_END + Hmac.TAG_BYTES];
        System.arraycopy(clearanceId, 0, b, ID, ID_BYTES);
        b[LEVEL] = (byte) level;
        Envelope.putLong(b, ZONE, Fingerprints.hash(zoneId));
        b[FAMILY] = Fingerprints.family(client);
        Envelope.putLong(b, PREFIX, Fingerprints.prefix(client));
        Envelope.putLong(b, UA, Fingerprints.hash(userAgent));
        Envelope.putInt(b, ISSUED, (int) (now / 1000));
        Envelope.putInt(b, EXPIRES, (int) ((now + ttl.toMillis()) / 1000));
        return Envelope.seal(b, KIND, CLAIMS_END, keys.current());
    }

    /**
     * The clearance id a solved challenge yields: derived from the token's nonce, so
     * redeeming one solution again gives the same id instead of a new clearance.
     */
    public static byte[] idFor(byte[] nonce) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update("bulwark clearance id\0".getBytes(StandardCharsets.US_ASCII));
            sha.update(nonce);
            return java.util.Arrays.copyOf(sha.digest(), ID_BYTES);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    /**
     * The Set-Cookie header value. HttpOnly (page scripts never need it), SameSite=Lax (sent
     * on top-level navigations from other sites, so links into the site keep working),
     * Path=/. Secure only when the visitor came over TLS: on a plain-HTTP listener (the
     * local demo) a Secure cookie would be dropped by the browser and every visit would loop
     * back to the challenge; such a site sends everything in clear text anyway.
     */
    public static String setCookie(String value, Duration maxAge, boolean secure) {
        return COOKIE_NAME + "=" + value + "; Max-Age=" + Math.max(0, maxAge.toSeconds()) + "; Path=/; HttpOnly; SameSite=Lax"
                + (secure ? "; Secure" : "");
    }

    /** A Set-Cookie value that deletes the clearance cookie. */
    public static String expireCookie(boolean secure) {
        return COOKIE_NAME + "=; Max-Age=0; Path=/; HttpOnly; SameSite=Lax" + (secure ? "; Secure" : "");
    }
}
