package dev.bulwark.core.limit;

import dev.bulwark.core.config.FirewallRuleConfig;
import dev.bulwark.core.config.RateLimitRuleConfig;
import dev.bulwark.core.request.RequestFacts;
import dev.bulwark.core.spi.SharedCounters;
import dev.bulwark.core.time.Clock;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * The rate-limit rules of one zone, compiled once per configuration snapshot and shared by
 * every event loop.
 *
 * <p>Design (rule separate from machinery, as in Armeria's throttling and Envoy's local rate
 * limit): each {@link RateLimitRuleConfig} becomes an immutable compiled rule — matcher, key
 * characteristics, limit, action, mode; the counting machinery is a {@link SharedCounters}
 * window per period (a sliding-window count-min estimator in one process, Redis-backed in a
 * cluster) and one {@link KeyBans} table for keys that tripped (shared by the fleet in a cluster). Both may be shared by all zones
 * of an edge: every key hash is seeded with the zone and rule id.
 *
 * <p>Per request, for each rule in order whose expression matches: a key that is banned is
 * refused at once without counting (cheap rejection); otherwise the key is counted and, once
 * the sliding count exceeds the limit, banned for the mitigation timeout. The first enforcing
 * rule that trips decides; rules in {@code mode: log} (or with {@code action: log}) only report
 * what they would have done. {@code action: challenge} does not apply to visitors that already
 * hold a clearance — pair it with a rule keyed on {@code clearance.id} to limit them too.
 *
 * <p>Hot path: no locks, no allocation for allowed requests with IPv4 clients (one small
 * decision object for refused ones).
 */
public final class RateLimiter {
    private final Rule[] rules;
    private final KeyBans bans;

    private record Rule(String id, RequestMatcher matcher, KeyCharacteristic[] key, long seed,
                        SharedCounters.Window window, long limit, RateLimitRuleConfig.Action action,
                        long mitigationNanos, int periodSeconds, boolean shadow) {}

    /**
     * @param zoneId   seeds every key, so counters and bans can be shared by many zones
     * @param compiler turns a rule's {@code expression} into a matcher (the firewall rules compiler)
     * @param counters where counts live; one window is taken per distinct period
     * @param bans     where tripped keys are banned until their mitigation timeout ends
     * @throws IllegalArgumentException naming the rule when a rule is invalid
     */
    public RateLimiter(String zoneId, List<RateLimitRuleConfig> configs, Function<String, RequestMatcher> compiler,
                       SharedCounters counters, KeyBans bans) {
        Objects.requireNonNull(counters, "counters");
        this.bans = Objects.requireNonNull(bans, "bans");
        List<Rule> out = new ArrayList<>();
        for (int i = 0; i < configs.size(); i++) {
            RateLimitRuleConfig c = configs.get(i);
            String id = c.id() == null || c.id().isBlank() ? "ratelimit-" + (i + 1) : c.id();
            String where = "rate limit rule '" + id + "'";
            if (c.requests() == null || c.requests() < 1) throw new IllegalArgumentException(where + ": requests must be at least 1, got " + c.requests());
            if (c.period().isNegative() || c.period().isZero()) throw new IllegalArgumentException(where + ": period must be positive, got " + c.period());
            if (c.mitigationTimeout().isNegative()) throw new IllegalArgumentException(where + ": mitigationTimeout must not be negative");
            KeyCharacteristic[] key = new KeyCharacteristic[c.key().size()];
            for (int k = 0; k < key.length; k++) {
                try {
                    key[k] = KeyCharacteristic.parse(c.key().get(k));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
                }
            }
            RequestMatcher matcher = RequestMatcher.ALL;
            if (c.expression() != null && !c.expression().isBlank()) {
                try {
                    matcher = Objects.requireNonNull(compiler.apply(c.expression()), "compiler returned no matcher");
                } catch (RuntimeException e) {
                    throw new IllegalArgumentException(where + ": expression: " + e.getMessage(), e);
                }
            }
            long seed = KeyHash.mix(KeyHash.mix(KeyHash.seed(), zoneId), id);
            boolean shadow = c.mode() == FirewallRuleConfig.Mode.LOG || c.action() == RateLimitRuleConfig.Action.LOG;
            int periodSeconds = (int) Math.max(1, Math.min(Integer.MAX_VALUE, ceilSeconds(c.period().toNanos())));
            out.add(new Rule(id, matcher, key, seed, counters.window(c.period()), c.requests(), c.action(),
                    c.mitigationTimeout().toNanos(), periodSeconds, shadow));
        }
        this.rules = out.toArray(new Rule[0]);
    }

    /** A limiter with its own in-memory counters and a ban table of 65,536 keys. */
    public static RateLimiter inMemory(String zoneId, List<RateLimitRuleConfig> configs,
                                       Function<String, RequestMatcher> compiler, Clock clock) {
        return new RateLimiter(zoneId, configs, compiler, new InMemorySharedCounters(SketchShape.DEFAULT, clock),
                new BoundedBanTable(1 << 16, clock));
    }

    public int ruleCount() { return rules.length; }

    /** Counts the request against every matching rule and says what to do with it. */
    public RateLimitDecision check(RequestFacts request) {
        RateLimitDecision logged = null;
        for (Rule rule : rules) {
            if (rule.action == RateLimitRuleConfig.Action.CHALLENGE && request.clearanceLevel() > 0) continue;
            if (!rule.matcher.matches(request)) continue;
            long h = rule.seed;
            for (KeyCharacteristic k : rule.key) h = k.mix(h, request);
            long key = KeyHash.finish(h);

            long retryNanos = bans.remainingNanos(key);
            if (retryNanos == 0) {
                long count = rule.window.incrementAndGet(key, 1);
                if (count <= rule.limit) continue;
                if (rule.mitigationNanos > 0) {
                    bans.ban(key, rule.mitigationNanos, rule.id);
                    retryNanos = rule.mitigationNanos;
                } else {
                    retryNanos = (long) rule.periodSeconds * 1_000_000_000L;
                }
            }
            int retryAfter = (int) Math.max(1, Math.min(Integer.MAX_VALUE, ceilSeconds(retryNanos)));
            if (rule.shadow) {
                if (logged == null) logged = new RateLimitDecision(RateLimitDecision.Outcome.LOG, rule.id, retryAfter, rule.action);
                continue;
            }
            return new RateLimitDecision(outcome(rule.action), rule.id, retryAfter, null);
        }
        return logged == null ? RateLimitDecision.ALLOW : logged;
    }

    private static RateLimitDecision.Outcome outcome(RateLimitRuleConfig.Action a) {
        return switch (a) {
            case BLOCK -> RateLimitDecision.Outcome.BLOCK;
            case CHALLENGE -> RateLimitDecision.Outcome.CHALLENGE;
            case TARPIT -> RateLimitDecision.Outcome.TARPIT;
            case CLOSE -> RateLimitDecision.Outcome.CLOSE;
            case LOG -> RateLimitDecision.Outcome.LOG;
        };
    }

    private static long ceilSeconds(long nanos) { return (nanos + 999_999_999L) / 1_000_000_000L; }
}
