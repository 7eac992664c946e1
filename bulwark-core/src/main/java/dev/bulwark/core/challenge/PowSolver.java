package dev.bulwark.core.challenge;

/**
 * Solves the proof of work the way a scripted client would: counters 0, 1, 2… until the
 * hash has enough leading zero bits. Used by tests, and by the benchmark that measures
 * how many solves per second an attacker's CPU core buys at each difficulty.
 */
public final class PowSolver {
    private PowSolver() {}

    /**
     * The first counter from {@code start} (stepping by {@code step}) that solves the puzzle,
     * or -1 when none is found within {@code maxAttempts} tries.
     */
    public static long solve(byte[] nonce, int difficulty, long start, long step, long maxAttempts) {
        if (difficulty < 0 || difficulty > 256) throw new IllegalArgumentException("difficulty must be 0..256, got " + difficulty);
        if (step <= 0) throw new IllegalArgumentException("step must be positive");
        long counter = start;
        for (long i = 0; i < maxAttempts; i++, counter += step) {
            if (ProofOfWork.check(nonce, 0, counter, difficulty)) return counter;
        }
        return -1;
    }

    /** The first solving counter, trying at most 2^(difficulty+8) counters (failure odds below e^-256). */
    public static long solve(byte[] nonce, int difficulty) {
        long budget = difficulty >= 54 ? Long.MAX_VALUE : 1L << (difficulty + 8);
        return solve(nonce, difficulty, 0, 1, budget);
    }
}
