package dev.bulwark.edge.policy.ddos;

import dev.bulwark.core.ddos.MitigationRule;
import dev.bulwark.edge.proxy.Phase;
import dev.bulwark.edge.proxy.RequestContext;

import java.util.concurrent.TimeUnit;

/**
 * Applies the temporary rule the zone's attack detector derived from the current flood:
 * requests matching its signature are blocked (403), challenged, tarpitted or only logged, as
 * the zone's ddos action says. The access log names the attack event ({@code ddos:<event id>}).
 * Only an allow rule skips it: an operator's skip rules name the phases they know.
 */
public final class AttackMitigationPhase implements Phase {
    public static final String NAME = "mitigation";
    private static final String BLOCKED = "This request looks like part of an attack on this site and was refused.";
    private static final int TARPIT_SECONDS = 5;

    @Override
    public Result run(RequestContext ctx) {
        if (ctx.skips(NAME)) return Result.CONTINUE;
        ZoneDefense defense = ctx.zone().policies().defense();
        if (defense == null) return Result.CONTINUE;
        MitigationRule rule = defense.detector().activeRule();
        if (rule == null || !rule.matches(ctx)) return Result.CONTINUE;
        String name = "ddos:" + rule.eventId();
        switch (rule.action()) {
            case BLOCK -> {
                return ctx.answer(403, "blocked", name, BLOCKED);
            }
            case CHALLENGE -> ctx.requestChallenge(name);
            case TARPIT -> {
                ctx.answer(429, "tarpitted", name, BLOCKED);
                ctx.answerHeader("Retry-After", Integer.toString(TARPIT_SECONDS));
                ctx.delayAnswer(TimeUnit.SECONDS.toNanos(TARPIT_SECONDS));
                return Result.ANSWERED;
            }
            case LOG -> ctx.logged(name);
        }
        return Result.CONTINUE;
    }
}
