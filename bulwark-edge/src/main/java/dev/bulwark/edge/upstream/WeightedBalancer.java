package dev.bulwark.edge.upstream;

import java.util.Collection;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Weighted round-robin with a schedule precomputed once per pool by nginx's smooth weighted algorithm
 * (weights 5,1,1 give a,a,b,a,c,a,a rather than a,a,a,a,a,b,c), so that the pick path is one atomic
 * increment and an array read, with no lock and no shared mutable weights.
 *
 * <p>Weights are divided by their greatest common divisor first, which keeps the schedule short in the
 * usual cases (100/50/50 is the same as 2/1/1). A schedule longer than {@value #MAX_SCHEDULE} entries is not
 * built; picks are then weighted-random, which has the same proportions without the ordering.
 *
 * <p>When the scheduled origin is not eligible the pick falls back to weighted-random among the eligible
 * ones, so an ejected origin's share spreads over the rest in proportion to their weights and the fallback
 * costs O(origins), never O(schedule).
 */
final class WeightedBalancer implements Balancer {
    static final int MAX_SCHEDULE = 1 << 16;

    private final Origin[] origins;
    private final int[] schedule; // indexes into origins; null when too long
    private final AtomicInteger next = new AtomicInteger();

    WeightedBalancer(Origin[] origins) {
        this.origins = origins;
        this.schedule = buildSchedule(origins);
    }

    static int[] buildSchedule(Origin[] origins) {
        int gcd = 0;
        long total = 0;
        for (Origin o : origins) gcd = gcd(gcd, o.weight());
        int[] w = new int[origins.length];
        for (int i = 0; i < origins.length; i++) {
            w[i] = origins[i].weight() / gcd;
            total += w[i];
        }
        if (total > MAX_SCHEDULE) return null;
        int[] schedule = new int[(int) total];
        long[] current = new long[origins.length];
        for (int slot = 0; slot < schedule.length; slot++) {
            int best = 0;
            for (int i = 0; i < w.length; i++) {
                current[i] += w[i];
                if (current[i] > current[best]) best = i;
            }
            current[best] -= total;
            schedule[slot] = best;
        }
        return schedule;
    }

    private static int gcd(int a, int b) {
        while (b != 0) {
            int t = a % b;
            a = b;
            b = t;
        }
        return a;
    }

    @Override
    public Origin pick(Origin exclude, Collection<Origin> excluded) {
        if (schedule != null) {
            Origin o = origins[schedule[Math.floorMod(next.getAndIncrement(), schedule.length)]];
            if (Balancer.eligible(o, exclude, excluded)) return o;
        }
        return weightedRandom(exclude, excluded);
    }

    private Origin weightedRandom(Origin exclude, Collection<Origin> excluded) {
        // Reservoir-style single pass: each eligible origin replaces the choice with probability weight/seen.
        ThreadLocalRandom random = ThreadLocalRandom.current();
        Origin chosen = null;
        long seen = 0;
        for (Origin o : origins) {
            if (!Balancer.eligible(o, exclude, excluded)) continue;
            seen += o.weight();
            if (random.nextLong(seen) < o.weight()) chosen = o;
        }
        return chosen;
    }
}
