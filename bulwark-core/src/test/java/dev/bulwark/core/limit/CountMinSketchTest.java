package dev.bulwark.core.limit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CountMinSketchTest {
    @Test
    void countsUpAndDownAndClears() {
        CountMinSketch s = new CountMinSketch(64, 4);
        long k = KeyHash.of("k");
        assertThat(s.add(k, 3)).isEqualTo(3);
        assertThat(s.add(k, -2)).isEqualTo(1);
        assertThat(s.estimate(k)).isEqualTo(1);
        s.clear();
        assertThat(s.estimate(k)).isZero();
    }

    @Test
    void neverUnderCountsEvenWhenOverloaded() {
        CountMinSketch s = new CountMinSketch(16, 2); // tiny: collisions everywhere
        for (long i = 0; i < 1000; i++) s.add(KeyHash.of(i), i % 7 + 1);
        for (long i = 0; i < 1000; i++) assertThat(s.estimate(KeyHash.of(i))).isGreaterThanOrEqualTo(i % 7 + 1);
    }

    @Test
    void rejectsBadShapes() {
        assertThatThrownBy(() -> new CountMinSketch(100, 4)).hasMessageContaining("power of two");
        assertThatThrownBy(() -> new CountMinSketch(64, 0)).hasMessageContaining("depth");
        assertThatThrownBy(() -> new SketchShape(1 << 14, 17)).hasMessageContaining("depth");
    }

    @Test
    void prefixHashIgnoresHostBitsAndKeepsFamilies() {
        byte[] a = {10, 1, 2, 3}, b = {10, 1, 2, (byte) 200}, c = {10, 1, 3, 3};
        assertThat(KeyHash.prefix(a, 24)).isEqualTo(KeyHash.prefix(b, 24));
        assertThat(KeyHash.prefix(a, 24)).isNotEqualTo(KeyHash.prefix(c, 24));
        assertThat(KeyHash.prefix(a, 32)).isNotEqualTo(KeyHash.prefix(b, 32));
        assertThat(KeyHash.prefix(a, 22)).isEqualTo(KeyHash.prefix(c, 22));
        assertThat(KeyHash.prefix(a, 24)).isNotEqualTo(KeyHash.prefix(a, 25));
        byte[] v6 = new byte[16];
        assertThat(KeyHash.prefix(new byte[4], 0)).isNotEqualTo(KeyHash.prefix(v6, 0));
        assertThat(KeyHash.finish(0)).isNotZero();
    }
}
