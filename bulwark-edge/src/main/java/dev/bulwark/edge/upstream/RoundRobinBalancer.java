package dev.bulwark.edge.upstream;

import java.util.Collection;
import java.util.concurrent.atomic.AtomicInteger;

/** Each origin in turn from a shared atomic counter; an ineligible origin passes its turn to the next. */
final class RoundRobinBalancer implements Balancer {
    private final Origin[] origins;
    private final AtomicInteger next = new AtomicInteger();

    RoundRobinBalancer(Origin[] origins) { this.origins = origins; }

    @Override
    public Origin pick(Origin exclude, Collection<Origin> excluded) {
        int n = origins.length;
        int start = Math.floorMod(next.getAndIncrement(), n);
        for (int i = 0; i < n; i++) {
            Origin o = origins[(start + i) % n];
            if (Balancer.eligible(o, exclude, excluded)) return o;
        }
        return null;
    }
}
