package dev.bulwark.core.challenge;

/**
 * URL-safe Base64 without padding (RFC 4648 §5), decoding straight from the request's
 * characters into a caller's buffer so verification allocates nothing.
 */
final class Base64Url {
    private static final char[] ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".toCharArray();
    private static final byte[] VALUES = new byte[128];

    static {
        java.util.Arrays.fill(VALUES, (byte) -1);
        for (int i = 0; i < ALPHABET.length; i++) VALUES[ALPHABET[i]] = (byte) i;
    }

    private Base64Url() {}

    static String encode(byte[] data, int off, int len) {
        char[] out = new char[(len * 4 + 2) / 3];
        int o = 0;
        int end = off + len;
        int i = off;
        for (; i + 3 <= end; i += 3) {
            int v = (data[i] & 0xff) << 16 | (data[i + 1] & 0xff) << 8 | (data[i + 2] & 0xff);
            out[o++] = ALPHABET[v >>> 18];
            out[o++] = ALPHABET[(v >>> 12) & 63];
            out[o++] = ALPHABET[(v >>> 6) & 63];
            out[o++] = ALPHABET[v & 63];
        }
        int rest = end - i;
        if (rest == 1) {
            int v = (data[i] & 0xff) << 16;
            out[o++] = ALPHABET[v >>> 18];
            out[o++] = ALPHABET[(v >>> 12) & 63];
        } else if (rest == 2) {
            int v = (data[i] & 0xff) << 16 | (data[i + 1] & 0xff) << 8;
            out[o++] = ALPHABET[v >>> 18];
            out[o++] = ALPHABET[(v >>> 12) & 63];
            out[o++] = ALPHABET[(v >>> 6) & 63];
        }
        return new String(out, 0, o);
    }

    /** Number of bytes {@code chars} characters decode to, or -1 when no Base64 text has that length. */
    static int decodedLength(int chars) {
        if (chars % 4 == 1) return -1;
        return chars * 3 / 4;
    }

    /**
     * Decodes {@code s[from, to)} into {@code out} starting at 0. Returns the number of bytes
     * written, or -1 when the text is not canonical URL-safe Base64 or does not fit.
     */
    static int decode(CharSequence s, int from, int to, byte[] out) {
        int n = decodedLength(to - from);
        if (n < 0 || n > out.length) return -1;
        int o = 0;
        int acc = 0;
        int bits = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            int v = c < 128 ? VALUES[c] : -1;
            if (v < 0) return -1;
            acc = (acc << 6) | v;
            bits += 6;
            if (bits >= 8) {
                bits -= 8;
                out[o++] = (byte) (acc >>> bits);
                acc &= (1 << bits) - 1;
            }
        }
        if (acc != 0) return -1; // leftover bits must be zero: one encoding per value
        return o;
    }
}
