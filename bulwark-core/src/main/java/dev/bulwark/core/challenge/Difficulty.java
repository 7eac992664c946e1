package dev.bulwark.core.challenge;

import java.time.Duration;

/**
 * How hard the challenge is under attack pressure. The detector reports a pressure level
 * (0 calm, 1 elevated, 2 high, 3 severe, 4 critical); each level adds two bits of proof of
 * work (four times the hashes) up to the zone's ceiling, and doubles the no-script wait so
 * the script-free route does not become the cheap way in.
 */
public final class Difficulty {
    public static final int MAX_PRESSURE = 4;
    public static final int BITS_PER_LEVEL = 2;
    /** No visitor without JavaScript is asked to wait longer than this. */
    public static final Duration MAX_WAIT = Duration.ofMinutes(2);

    private Difficulty() {}

    /** Leading zero bits asked at this pressure: base + 2 per level, never above {@code max}. */
    public static int bits(int base, int max, int pressure) {
        int p = Math.max(0, Math.min(MAX_PRESSURE, pressure));
        int ceiling = Math.max(base, Math.min(max, ProofOfWork.MAX_DIFFICULTY));
        return Math.min(ceiling, base + BITS_PER_LEVEL * p);
    }

    /** No-script wait at this pressure: base doubled per level, capped at {@link #MAX_WAIT}. */
    public static Duration noscriptWait(Duration base, int pressure) {
        int p = Math.max(0, Math.min(MAX_PRESSURE, pressure));
        Duration d = base.multipliedBy(1L << p);
        return d.compareTo(MAX_WAIT) > 0 ? MAX_WAIT : d;
    }

    /** Hashes an honest solver needs on average at {@code bits}. */
    public static double expectedHashes(int bits) {
        return Math.pow(2, bits);
    }
}
