package dev.bulwark.core.challenge;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;

/**
 * The visitor properties a token or cookie is bound to, reduced to fixed-size numbers
 * without allocating: the client prefix (IPv4 /24, IPv6 /64, so NAT pools and mobile
 * address changes inside a prefix keep their clearance), a 64-bit user-agent hash and a
 * 64-bit zone hash.
 *
 * <p>The hashes are FNV-1a: they need no secrecy because they sit inside an HMAC-signed
 * envelope; they only have to tell honest values apart.
 */
final class Fingerprints {
    static final byte FAMILY_V4 = 4;
    static final byte FAMILY_V6 = 6;

    /** Inet4Address.hashCode() is the address in OpenJDK; checked once so another JDK falls back to getAddress(). */
    private static final boolean V4_HASH_IS_ADDRESS = probeV4Hash();

    private Fingerprints() {}

    private static boolean probeV4Hash() {
        try {
            return InetAddress.getByAddress(new byte[]{10, 20, 30, 40}).hashCode() == 0x0a141e28;
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }

    /** FNV-1a over the UTF-16 code units of {@code s}; null and "" hash differently. */
    static long hash(String s) {
        if (s == null) return 0x5bd1e9955bd1e995L;
        long h = 0xcbf29ce484222325L;
        for (int i = 0, n = s.length(); i < n; i++) {
            char c = s.charAt(i);
            h ^= c & 0xff;
            h *= 0x100000001b3L;
            h ^= c >>> 8;
            h *= 0x100000001b3L;
        }
        return h;
    }

    /** 4 for IPv4 (including IPv4-mapped IPv6), 6 for IPv6. */
    static byte family(InetAddress a) {
        if (a instanceof Inet4Address) return FAMILY_V4;
        if (a instanceof Inet6Address v6 && isMappedV4(v6.getAddress())) return FAMILY_V4;
        return FAMILY_V6;
    }

    /** The /24 (IPv4) or /64 (IPv6) network of {@code a} as a number. */
    static long prefix(InetAddress a) {
        if (a instanceof Inet4Address && V4_HASH_IS_ADDRESS) return (a.hashCode() >>> 8) & 0xffffffL;
        byte[] b = a.getAddress();
        if (b.length == 4) return ((b[0] & 0xffL) << 16) | ((b[1] & 0xffL) << 8) | (b[2] & 0xffL);
        if (isMappedV4(b)) return ((b[12] & 0xffL) << 16) | ((b[13] & 0xffL) << 8) | (b[14] & 0xffL);
        long v = 0;
        for (int i = 0; i < 8; i++) v = (v << 8) | (b[i] & 0xff);
        return v;
    }

    private static boolean isMappedV4(byte[] b) {
        if (b.length != 16) return false;
        for (int i = 0; i < 10; i++) if (b[i] != 0) return false;
        return b[10] == (byte) 0xff && b[11] == (byte) 0xff;
    }
}
