package dev.bulwark.edge.upstream;

import java.util.Collection;

/**
 * A balancing strategy over a fixed array of origins. Implementations hold no locks on the pick path and
 * return {@code null} when no origin is eligible. An origin is eligible when it is available and not
 * excluded (a retry excludes the origins already tried).
 */
interface Balancer {
    Origin pick(Origin exclude, Collection<Origin> excluded);

    static boolean eligible(Origin o, Origin exclude, Collection<Origin> excluded) {
        return o != exclude && (excluded == null || !excluded.contains(o)) && o.available();
    }
}
