package dev.bulwark.edge.policy.challenge;

import dev.bulwark.core.challenge.ChallengeEndpoints;
import dev.bulwark.core.challenge.ChallengeResponse;
import dev.bulwark.edge.proxy.Phase;
import dev.bulwark.edge.proxy.RequestContext;
import dev.bulwark.edge.zone.ZonePolicies;

/**
 * Serves the challenge's own paths under {@code /.well-known/bulwark/} (the worker script,
 * proof-of-work verify, no-script wait, cookie check) right after zone routing, before any
 * other policy: a firewall rule or rate limit must never block the way out of a challenge.
 * They are answered by the edge and never forwarded.
 */
public final class ChallengeEndpointsPhase implements Phase {
    @Override
    public Result run(RequestContext ctx) {
        if (!ChallengeEndpoints.isEndpoint(ctx.path())) return Result.CONTINUE;
        ZonePolicies p = ctx.zone().policies();
        if (p.endpoints() == null) return Result.CONTINUE;
        ChallengeResponse r = p.endpoints().handle(ctx, p.challenge(), ctx.requestId());
        if (r == null) return Result.CONTINUE;
        String name = ctx.path().substring(ctx.path().lastIndexOf('/') + 1);
        return ctx.answer(r.status(), r.headers(), r.body(), "challenge_endpoint", "challenge:" + name);
    }
}
