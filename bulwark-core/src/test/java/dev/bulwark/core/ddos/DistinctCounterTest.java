package dev.bulwark.core.ddos;

import dev.bulwark.core.limit.KeyHash;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class DistinctCounterTest {
    /** Standard error of HyperLogLog with 1,024 registers: 1.04 / sqrt(1024). */
    private static final double STANDARD_ERROR = 0.0325;

    /**
     * Hashes come from fixed seeds rather than the process's random key-hash seed, so the test is
     * repeatable: with the random seed, one run in a few dozen drew an estimate beyond any
     * tolerance tight enough to mean something. Over 16 seeds the typical error must match
     * HyperLogLog's standard error, and no single estimate may stray past four of them.
     */
    @Test
    void estimatesWithinItsStandardError() {
        DistinctCounter c = new DistinctCounter();
        for (int n : new int[]{10, 100, 1_000, 10_000, 100_000}) {
            double squares = 0;
            int seeds = 16;
            for (long seed = 1; seed <= seeds; seed++) {
                c.clear();
                for (long i = 0; i < n; i++) {
                    long hash = KeyHash.finish(KeyHash.mix(seed * 0x9e3779b97f4a7c15L, i));
                    c.add(hash);
                    c.add(hash); // repeats do not count
                }
                double estimate = c.estimate();
                assertThat(estimate).as("n = %d, seed %d", n, seed).isCloseTo(n, within(Math.max(2, 4 * STANDARD_ERROR * n)));
                squares += Math.pow((estimate - n) / n, 2);
            }
            assertThat(Math.sqrt(squares / seeds)).as("relative RMS error, n = %d", n).isLessThan(1.5 * STANDARD_ERROR);
        }
    }
}
