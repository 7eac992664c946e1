package dev.bulwark.control.trustsafety;

import java.security.SecureRandom;
import java.util.HexFormat;

/** Random public identifiers with a readable prefix ({@code rep_3f9a...}): unguessable, so a reporter's id reveals nothing about others. */
final class Ids {
    private static final SecureRandom RANDOM = new SecureRandom();

    private Ids() {}

    static String next(String prefix) {
        byte[] b = new byte[10];
        RANDOM.nextBytes(b);
        return prefix + "_" + HexFormat.of().formatHex(b);
    }
}
