package dev.bulwark.edge.upstream;

import dev.bulwark.core.config.OriginPoolConfig.Balance;
import dev.bulwark.core.time.ManualClock;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class WeightedBalancerTest {
    private final ManualClock clock = new ManualClock();

    @Test
    void smoothScheduleInterleavesLikeNginx() {
        OriginPool pool = OriginPool.of(Pools.config(Balance.WEIGHTED, 5, 1, 1), clock);
        List<String> picks = new ArrayList<>();
        for (int i = 0; i < 7; i++) picks.add(pool.pick().host());
        // nginx's smooth weighted round-robin for a=5, b=1, c=1: a a b a c a a
        assertThat(picks).containsExactly("10.0.0.1", "10.0.0.1", "10.0.0.2", "10.0.0.1", "10.0.0.3",
                "10.0.0.1", "10.0.0.1");
    }

    @Test
    void picksFollowWeightsExactlyOverWholeCycles() {
        OriginPool pool = OriginPool.of(Pools.config(Balance.WEIGHTED, 3, 2, 1, 4), clock);
        Map<String, Integer> counts = OriginPoolTest.count(pool, 10 * 100);
        assertThat(counts).containsEntry("10.0.0.1:80", 300).containsEntry("10.0.0.2:80", 200)
                .containsEntry("10.0.0.3:80", 100).containsEntry("10.0.0.4:80", 400);
    }

    @Test
    void weightsAreReducedByTheirCommonDivisor() {
        OriginPool pool = OriginPool.of(Pools.config(Balance.WEIGHTED, 100, 50, 50), clock);
        int[] schedule = WeightedBalancer.buildSchedule(pool.origins().toArray(Origin[]::new));
        assertThat(schedule).containsExactly(0, 1, 2, 0);
    }

    @Test
    void hugeScheduleFallsBackToWeightedRandom() {
        int[] weights = new int[100];
        for (int i = 0; i < weights.length; i++) weights[i] = 997 - (i % 2); // coprime: total far above the cap
        OriginPool pool = OriginPool.of(Pools.config(Balance.WEIGHTED, weights), clock);
        assertThat(WeightedBalancer.buildSchedule(pool.origins().toArray(Origin[]::new))).isNull();
        Map<String, Integer> counts = OriginPoolTest.count(pool, 20_000);
        assertThat(counts).hasSize(100).doesNotContainKey("none");
        assertThat(counts.values()).allMatch(c -> c > 100 && c < 330);
    }

    @Test
    void ejectedOriginsShareGoesToTheOthersByWeight() {
        OriginPool pool = OriginPool.of(Pools.config(Balance.WEIGHTED, 6, 3, 1), clock);
        Pools.eject(pool.origins().get(0));
        Map<String, Integer> counts = OriginPoolTest.count(pool, 20_000);
        assertThat(counts).doesNotContainKey("10.0.0.1:80").doesNotContainKey("none");
        double ratio = counts.get("10.0.0.2:80") / (double) counts.get("10.0.0.3:80");
        assertThat(ratio).isBetween(2.5, 3.6);
    }

    @Test
    void concurrentPicksKeepTheProportions() throws Exception {
        OriginPool pool = OriginPool.of(Pools.config(Balance.WEIGHTED, 2, 1), clock);
        int threads = 4, perThread = 30_000;
        int[][] counts = new int[threads][2];
        List<Thread> ts = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int[] mine = counts[t];
            ts.add(Thread.ofPlatform().start(() -> {
                for (int i = 0; i < perThread; i++) mine[pool.pick() == pool.origins().get(0) ? 0 : 1]++;
            }));
        }
        for (Thread t : ts) t.join(10_000);
        int first = 0, second = 0;
        for (int[] c : counts) { first += c[0]; second += c[1]; }
        assertThat(first + second).isEqualTo(threads * perThread);
        assertThat(first).isEqualTo(2 * second); // the shared counter hands out whole cycles: exact
    }
}
