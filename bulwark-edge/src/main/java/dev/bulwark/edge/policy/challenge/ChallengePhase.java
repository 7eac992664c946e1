package dev.bulwark.edge.policy.challenge;

import dev.bulwark.core.challenge.ChallengeDecision;
import dev.bulwark.core.challenge.ChallengeResponse;
import dev.bulwark.edge.proxy.Phase;
import dev.bulwark.edge.proxy.RequestContext;
import dev.bulwark.edge.zone.ZonePolicies;

/**
 * Challenges the visitor when an earlier phase asked for it (a firewall or rate-limit rule
 * with action challenge) or the zone is under attack, unless the visitor holds clearance or
 * the zone, path or address is exempt ({@link ChallengeDecision}). GET/HEAD navigations get
 * the proof-of-work interstitial; everything else a 403 with a JSON body and
 * {@code Bulwark-Mitigated: challenge}. The access log names the rule that asked, or
 * {@code challenge:under_attack}.
 */
public final class ChallengePhase implements Phase {
    public static final String NAME = "challenge";

    @Override
    public Result run(RequestContext ctx) {
        if (ctx.skips(NAME)) return Result.CONTINUE;
        ZonePolicies p = ctx.zone().policies();
        if (p.endpoints() == null) return Result.CONTINUE;
        ChallengeDecision d = ChallengeDecision.decide(p.challenge(), ctx, ctx.challengeRequested(), ctx.clearanceLevel());
        String rule = ctx.challengeRequested() ? ctx.challengeRequestedBy() : "challenge:under_attack";
        ChallengeResponse r = switch (d) {
            case PASS, EXEMPT -> null;
            case INTERSTITIAL -> p.endpoints().interstitial(ctx, p.challenge(), p.pressure(), ctx.requestId());
            case DENY -> p.endpoints().denied(ctx, ctx.requestId());
        };
        if (r == null) return Result.CONTINUE;
        return ctx.answer(r.status(), r.headers(), r.body(), "challenged", rule);
    }
}
