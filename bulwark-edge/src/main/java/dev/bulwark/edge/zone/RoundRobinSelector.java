package dev.bulwark.edge.zone;

import dev.bulwark.core.config.OriginConfig;
import dev.bulwark.core.config.OriginPoolConfig;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Plain round robin over the configured origins, skipping the excluded one. It has no
 * health state; it is the selector used when no origin pool with health checks is wired.
 */
public final class RoundRobinSelector implements OriginSelector {
    private final OriginAddress[] origins;
    private final AtomicInteger next = new AtomicInteger();

    public RoundRobinSelector(OriginPoolConfig pool) {
        List<OriginConfig> servers = pool.servers();
        origins = servers.stream().map(s -> OriginAddress.parse(s.url())).toArray(OriginAddress[]::new);
    }

    @Override
    public OriginAddress pick(OriginAddress exclude) {
        if (origins.length == 0) return null;
        for (int i = 0; i < origins.length; i++) {
            OriginAddress o = origins[Math.floorMod(next.getAndIncrement(), origins.length)];
            if (!o.equals(exclude) || origins.length == 1) return o;
        }
        return origins[0];
    }

    @Override public int size() { return origins.length; }

    @Override public void onSuccess(OriginAddress origin) { }

    @Override public void onFailure(OriginAddress origin) { }
}
