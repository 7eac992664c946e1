package dev.bulwark.edge.policy.firewall;

import dev.bulwark.core.rules.CompiledRules;
import dev.bulwark.core.rules.Verdict;
import dev.bulwark.edge.proxy.Phase;
import dev.bulwark.edge.proxy.RequestContext;

/**
 * Runs the zone's compiled firewall rules ({@link CompiledRules#evaluate}) and acts on the
 * verdict: block answers 403 with the branded page; challenge marks the request for the
 * challenge phase; allow lets the request past every remaining security phase; skip rules
 * turn the named phases off for this request. Log rules and rules in log-only mode never
 * change the response: they are counted and named in the access log ({@code logged}).
 */
public final class FirewallPhase implements Phase {
    public static final String NAME = "firewall";
    private static final String BLOCKED = "This request was blocked by the site's security rules.";

    @Override
    public Result run(RequestContext ctx) {
        if (ctx.skips(NAME)) return Result.CONTINUE;
        CompiledRules rules = ctx.zone().policies().firewall();
        if (rules.isEmpty()) return Result.CONTINUE;
        Verdict v = rules.evaluate(ctx);
        if (v == Verdict.NONE) return Result.CONTINUE;
        for (String id : v.loggedRuleIds()) ctx.logged(NAME + ":" + id);
        String rule = v.ruleId() == null ? null : NAME + ":" + v.ruleId();
        switch (v.outcome()) {
            case BLOCK -> {
                return ctx.answer(403, "blocked", rule, BLOCKED);
            }
            case CHALLENGE -> ctx.requestChallenge(rule);
            case ALLOW -> ctx.allowPastSecurity(rule);
            case CONTINUE -> ctx.skipPhases(v.skippedPhases());
        }
        return Result.CONTINUE;
    }
}
