package dev.bulwark.edge.upstream;

import java.util.Collection;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Each origin in turn from a shared atomic counter. An ineligible origin's turn is skipped by taking the next
 * counter value rather than the next array slot, so its share spreads evenly over the others instead of all
 * falling to its neighbour.
 */
final class RoundRobinBalancer implements Balancer {
    private final Origin[] origins;
    private final AtomicInteger next = new AtomicInteger();

    RoundRobinBalancer(Origin[] origins) { this.origins = origins; }

    @Override
    public Origin pick(Origin exclude, Collection<Origin> excluded) {
        int n = origins.length;
        for (int i = 0; i < n; i++) {
            Origin o = origins[Math.floorMod(next.getAndIncrement(), n)];
            if (Balancer.eligible(o, exclude, excluded)) return o;
        }
        // Other threads may have taken the eligible turns in between; a plain scan settles it.
        for (Origin o : origins) if (Balancer.eligible(o, exclude, excluded)) return o;
        return null;
    }
}
