package dev.bulwark.core.ddos;

import dev.bulwark.core.limit.KeyHash;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class DistinctCounterTest {
    @Test
    void estimatesWithinAFewPercent() {
        DistinctCounter c = new DistinctCounter();
        for (int n : new int[]{10, 100, 1_000, 10_000, 100_000}) {
            c.clear();
            for (long i = 0; i < n; i++) {
                c.add(KeyHash.of(i));
                c.add(KeyHash.of(i)); // repeats do not count
            }
            assertThat(c.estimate()).as("n = " + n).isCloseTo(n, within(Math.max(2, n * 0.08)));
        }
    }
}
