package dev.bulwark.edge.policy.challenge;

import dev.bulwark.core.challenge.ClearanceClaims;
import dev.bulwark.core.challenge.Clearances;
import dev.bulwark.edge.proxy.Phase;
import dev.bulwark.edge.proxy.RequestContext;
import dev.bulwark.edge.zone.ZonePolicies;

/**
 * Verifies the clearance cookie once per request, before the firewall, so that rules
 * ({@code bulwark.clearance.level}), rate-limit keys ({@code clearance.id}) and the challenge
 * phase all read the same result from the context. A missing, tampered, expired or foreign
 * cookie is simply no clearance (level 0); it is never an error.
 */
public final class ClearancePhase implements Phase {
    @Override
    public Result run(RequestContext ctx) {
        ZonePolicies p = ctx.zone().policies();
        if (p.endpoints() == null) return Result.CONTINUE;
        String cookie = ctx.header("cookie");
        if (cookie == null || !cookie.contains(Clearances.COOKIE_NAME)) return Result.CONTINUE; // nothing to verify, nothing allocated
        ClearanceClaims claims = new ClearanceClaims();
        int level = p.endpoints().clearance(ctx, claims);
        if (level > 0) ctx.clearance(level, claims.id());
        return Result.CONTINUE;
    }
}
