package dev.bulwark.edge.policy.zone;

import dev.bulwark.edge.proxy.Phase;
import dev.bulwark.edge.proxy.RequestContext;
import dev.bulwark.edge.zone.Zone;
import dev.bulwark.edge.zone.ZoneTable;

/**
 * Routes the request to the zone that serves its host. A host no zone serves is answered by
 * the edge and never forwarded: 421 when it came over TLS for a different name than its SNI
 * (the connection was set up for another site), 404 otherwise. A TLS request whose Host belongs
 * to another zone than its SNI also gets 421, so one zone's certificate cannot front another's.
 */
public final class ZoneRoutingPhase implements Phase {
    @Override
    public Result run(RequestContext ctx) {
        ZoneTable zones = ctx.snapshot().zones();
        Zone zone = zones.find(ctx.host());
        String sni = ctx.sni();
        boolean sniDiffers = ctx.tls() && sni != null && !sni.equalsIgnoreCase(ctx.host());
        if (zone == null) {
            return sniDiffers ? ctx.answer(421, "blocked", "zone:misdirected", null)
                    : ctx.answer(404, "blocked", "zone:unknown-host", null);
        }
        if (sniDiffers && zones.find(sni) != zone) return ctx.answer(421, "blocked", "zone:misdirected", null);
        ctx.zone(zone);
        return Result.CONTINUE;
    }
}
