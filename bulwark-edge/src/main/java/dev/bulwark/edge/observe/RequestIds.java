package dev.bulwark.edge.observe;

import java.util.concurrent.ThreadLocalRandom;

/** Request ids: 16 lower-case hex digits (64 random bits), cheap enough to make per request. */
public final class RequestIds {
    public static final String HEADER = "Bulwark-Request-Id";
    /** {@link #HEADER} with its hash computed once, for the header maps the edge sets it on. */
    public static final io.netty.util.AsciiString HEADER_NAME = io.netty.util.AsciiString.cached(HEADER);
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private RequestIds() {}

    public static String next() {
        long v = ThreadLocalRandom.current().nextLong();
        char[] c = new char[16];
        for (int i = 15; i >= 0; i--) {
            c[i] = HEX[(int) (v & 0xf)];
            v >>>= 4;
        }
        return new String(c);
    }
}
