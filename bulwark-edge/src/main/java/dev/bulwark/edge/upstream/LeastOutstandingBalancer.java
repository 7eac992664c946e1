package dev.bulwark.edge.upstream;

import java.util.Collection;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Least outstanding requests by the power of two choices: sample two distinct origins at random and take the
 * one with fewer requests in flight (the heavier weight on a tie). Two samples avoid the herd that a global
 * minimum causes when many event loops read the same counters at once, at O(1) per pick.
 *
 * <p>Pools of up to {@value #FULL_SCAN_MAX} origins are scanned whole from a random start, which is exact
 * and as cheap. When neither sample is eligible the pick scans all origins, so an origin is only reported
 * missing when there is none.
 */
final class LeastOutstandingBalancer implements Balancer {
    static final int FULL_SCAN_MAX = 3;

    private final Origin[] origins;

    LeastOutstandingBalancer(Origin[] origins) { this.origins = origins; }

    @Override
    public Origin pick(Origin exclude, Collection<Origin> excluded) {
        int n = origins.length;
        ThreadLocalRandom random = ThreadLocalRandom.current();
        if (n > FULL_SCAN_MAX) {
            int a = random.nextInt(n);
            int b = random.nextInt(n - 1);
            if (b >= a) b++;
            Origin oa = origins[a], ob = origins[b];
            boolean ea = Balancer.eligible(oa, exclude, excluded);
            boolean eb = Balancer.eligible(ob, exclude, excluded);
            if (ea && eb) return better(oa, ob);
            if (ea) return oa;
            if (eb) return ob;
        }
        int start = random.nextInt(n);
        Origin best = null;
        for (int i = 0; i < n; i++) {
            Origin o = origins[(start + i) % n];
            if (Balancer.eligible(o, exclude, excluded)) best = best == null ? o : better(best, o);
        }
        return best;
    }

    /** Fewer in flight wins; on a tie the heavier weight; on a full tie the first (the start is random). */
    private static Origin better(Origin a, Origin b) {
        int oa = a.outstanding(), ob = b.outstanding();
        if (oa != ob) return oa < ob ? a : b;
        return b.weight() > a.weight() ? b : a;
    }
}
