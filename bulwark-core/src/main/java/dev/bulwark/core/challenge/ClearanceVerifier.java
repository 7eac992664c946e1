package dev.bulwark.core.challenge;

import dev.bulwark.core.spi.KeyRing;

import java.net.InetAddress;

/**
 * Verifies clearance cookies on the request path.
 *
 * <p>Design: the cookie is decoded from the request's own characters into a per-thread
 * buffer, the tag is computed with per-thread HMAC state (see {@link Hmac}: key pads kept,
 * digest written into our buffer) and compared in constant time, and the claims are compared
 * as numbers; nothing is allocated. Anything
 * wrong (tampered, truncated, expired, unknown key, another zone, another client prefix or
 * user agent) simply means "no clearance": the visitor gets a new challenge, never an
 * error.
 */
public final class ClearanceVerifier {
    private static final String COOKIE_PREFIX = Clearances.COOKIE_NAME + "=";

    private final KeyRing keys;

    public ClearanceVerifier(KeyRing keys) {
        this.keys = keys;
    }

    /** The clearance level this cookie value grants here and now, 0 for none. */
    public int verify(CharSequence cookieValue, String zoneId, InetAddress client, String userAgent, long now) {
        return verify(cookieValue, zoneId, client, userAgent, now, null);
    }

    /** As {@link #verify(CharSequence, String, InetAddress, String, long)}, also filling {@code into} (when not null). */
    public int verify(CharSequence cookieValue, String zoneId, InetAddress client, String userAgent, long now, ClearanceClaims into) {
        if (cookieValue == null) return none(into);
        return check(cookieValue, 0, cookieValue.length(), zoneId, client, userAgent, now, false, into);
    }

    /**
     * Finds {@value Clearances#COOKIE_NAME} in a Cookie request header and verifies it. When
     * the name appears more than once (a stale cookie for a parent path), any valid one counts.
     * Takes any CharSequence, so Netty's header values are read without copying.
     */
    public int verifyCookieHeader(CharSequence cookieHeader, String zoneId, InetAddress client, String userAgent, long now,
                                  ClearanceClaims into) {
        return scan(cookieHeader, zoneId, client, userAgent, now, false, into);
    }

    /**
     * Fills {@code into} from a cookie that is genuine and bound to this zone and client,
     * even if it has expired; used to keep a visitor's clearance id when they pass a new
     * challenge. Returns the cookie's level, 0 when not genuine.
     */
    public int genuineIgnoringExpiry(CharSequence cookieHeader, String zoneId, InetAddress client, String userAgent, ClearanceClaims into) {
        return scan(cookieHeader, zoneId, client, userAgent, 0, true, into);
    }

    private int scan(CharSequence header, String zoneId, InetAddress client, String userAgent, long now, boolean ignoreExpiry,
                     ClearanceClaims into) {
        if (header == null) return none(into);
        int from = 0;
        int n = header.length();
        while (from < n) {
            int end = from;
            while (end < n && header.charAt(end) != ';') end++;
            int start = from;
            while (start < end && header.charAt(start) == ' ') start++;
            if (startsWith(header, start, end)) {
                int vStart = start + COOKIE_PREFIX.length();
                int vEnd = end;
                while (vEnd > vStart && header.charAt(vEnd - 1) == ' ') vEnd--;
                // RFC 6265 allows the value in double quotes (clients following RFC 2965 send it so).
                if (vEnd - vStart >= 2 && header.charAt(vStart) == '"' && header.charAt(vEnd - 1) == '"') {
                    vStart++;
                    vEnd--;
                }
                int level = check(header, vStart, vEnd, zoneId, client, userAgent, now, ignoreExpiry, into);
                if (level > 0) return level;
            }
            from = end + 1;
        }
        return none(into);
    }

    private static boolean startsWith(CharSequence s, int at, int limit) {
        if (limit - at < COOKIE_PREFIX.length()) return false;
        for (int i = 0; i < COOKIE_PREFIX.length(); i++) if (s.charAt(at + i) != COOKIE_PREFIX.charAt(i)) return false;
        return true;
    }

    private int check(CharSequence s, int from, int to, String zoneId, InetAddress client, String userAgent, long now,
                      boolean ignoreExpiry, ClearanceClaims into) {
        if (client == null) return none(into);
        byte[] b = Hmac.local().buffer;
        if (to - from != ENCODED_LENGTH) return none(into);
        int end = Envelope.open(s, from, to, Clearances.KIND, Clearances.CLAIMS_END, keys, b);
        if (end != Clearances.CLAIMS_END
                || Envelope.getLong(b, Clearances.ZONE) != Fingerprints.hash(zoneId)
                || b[Clearances.FAMILY] != Fingerprints.family(client)
                || Envelope.getLong(b, Clearances.PREFIX) != Fingerprints.prefix(client)
                || Envelope.getLong(b, Clearances.UA) != Fingerprints.hash(userAgent)
                || (!ignoreExpiry && now >= Clearances.millis(b, Clearances.EXPIRES))) {
            return none(into);
        }
        if (into != null) into.fill(b);
        return b[Clearances.LEVEL] & 0xff;
    }

    private static final int ENCODED_LENGTH = ((Clearances.CLAIMS_END + Hmac.TAG_BYTES) * 4 + 2) / 3;

    private static int none(ClearanceClaims into) {
        if (into != null) into.clear();
        return 0;
    }
}
