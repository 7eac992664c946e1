package dev.bulwark.edge.policy.ddos;

import dev.bulwark.edge.proxy.LoggingPhase;
import dev.bulwark.edge.proxy.RequestContext;

/**
 * Feeds each finished request of a zone, refused ones included, into the zone's traffic
 * sampler: a few array writes, no lock. The detector reads the samples off the request path.
 */
public final class TrafficSamplingPhase implements LoggingPhase {
    @Override
    public void finished(RequestContext ctx) {
        if (ctx.zone() == null) return;
        ZoneDefense defense = ctx.zone().policies().defense();
        if (defense != null) defense.sampler().record(ctx, ctx.status());
    }
}
