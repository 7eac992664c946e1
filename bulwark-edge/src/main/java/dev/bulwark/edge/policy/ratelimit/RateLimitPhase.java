package dev.bulwark.edge.policy.ratelimit;

import dev.bulwark.core.limit.RateLimitDecision;
import dev.bulwark.core.limit.RateLimiter;
import dev.bulwark.edge.proxy.Phase;
import dev.bulwark.edge.proxy.RequestContext;

import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Counts the request against the zone's rate-limit rules ({@link RateLimiter#check}) and acts
 * on the decision: block answers 429 with Retry-After; tarpit holds the same 429 back on the
 * event loop (the client keeps waiting, the edge keeps no thread busy) for up to
 * {@link #MAX_TARPIT_SECONDS}; close answers the same 429 and ends the client's connection
 * ({@link RequestContext#closeConnection}: HTTP/1.1 {@code Connection: close}, HTTP/2 a graceful
 * GOAWAY), so a flooder pays a new connection, seen by the connection guard, for each refusal;
 * only the connection ends, no address is banned at accept (the key is this zone's and rule's).
 * Challenge marks the request for the challenge phase; a rule in
 * log mode is only named in the access log ({@code logged}). A key banned by an earlier trip
 * is refused before counting, so a refusal costs little more than a hash.
 */
public final class RateLimitPhase implements Phase {
    public static final String NAME = "ratelimit";
    /** Longest a tarpitted answer is held, however long the key's ban lasts. */
    public static final int MAX_TARPIT_SECONDS = 10;
    /** The access-log action of {@code action: close}: rate limited, and the connection ended. */
    public static final String CLOSED = "rate_limited_closed";
    private static final String LIMITED = "Too many requests from this client. Please wait before trying again.";

    @Override
    public Result run(RequestContext ctx) {
        if (ctx.skips(NAME)) return Result.CONTINUE;
        RateLimiter limiter = ctx.zone().policies().rateLimits();
        if (limiter == null) return Result.CONTINUE;
        RateLimitDecision d = limiter.check(ctx);
        String rule = d.ruleId() == null ? null : NAME + ":" + d.ruleId();
        switch (d.outcome()) {
            case ALLOW -> {
                return Result.CONTINUE;
            }
            case LOG -> {
                ctx.logged(rule + "(" + d.shadowAction().name().toLowerCase(Locale.ROOT) + ")");
                return Result.CONTINUE;
            }
            case CHALLENGE -> {
                ctx.requestChallenge(rule);
                return Result.CONTINUE;
            }
            case BLOCK -> {
                return refuse(ctx, "rate_limited", rule, d);
            }
            case CLOSE -> {
                ctx.closeConnection();
                return refuse(ctx, CLOSED, rule, d);
            }
            case TARPIT -> {
                refuse(ctx, "tarpitted", rule, d);
                ctx.delayAnswer(TimeUnit.SECONDS.toNanos(Math.min(d.retryAfterSeconds(), MAX_TARPIT_SECONDS)));
                return Result.ANSWERED;
            }
        }
        return Result.CONTINUE;
    }

    /** The 429 every enforcing outcome answers, with the seconds until the key's ban ends. */
    private static Result refuse(RequestContext ctx, String action, String rule, RateLimitDecision d) {
        ctx.answer(429, action, rule, LIMITED);
        ctx.answerHeader("Retry-After", Integer.toString(d.retryAfterSeconds()));
        return Result.ANSWERED;
    }
}
