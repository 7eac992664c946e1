package dev.bulwark.edge.zone;

import dev.bulwark.core.challenge.ChallengeEndpoints;
import dev.bulwark.core.challenge.ChallengeRules;
import dev.bulwark.core.config.ChallengeConfig;
import dev.bulwark.core.config.EnforcementConfig;
import dev.bulwark.core.config.ZoneConfig;
import dev.bulwark.core.ddos.OriginShield;
import dev.bulwark.core.limit.RateLimiter;
import dev.bulwark.core.limit.RequestMatcher;
import dev.bulwark.core.rules.CompiledRules;
import dev.bulwark.core.rules.GlobalLists;
import dev.bulwark.core.rules.NamedLists;
import dev.bulwark.core.rules.RuleExpression;
import dev.bulwark.core.rules.RuleProblem;
import dev.bulwark.core.rules.RulesException;
import dev.bulwark.core.spi.Blocklist;
import dev.bulwark.edge.policy.EdgePolicies;
import dev.bulwark.edge.policy.ddos.ZoneDefense;

import java.util.StringJoiner;
import java.util.function.Function;

/**
 * A zone's security policy as the request path uses it, compiled once when a snapshot is
 * built: the firewall rules, the rate limiter (its rules' expressions compiled by the same
 * rules compiler), and the challenge settings; plus what outlives the snapshot: the
 * edge-wide challenge endpoints and blocklist, and the zone's attack detector.
 *
 * <p>{@link #compile} refuses a zone whose rules do not compile, with every problem and its
 * position, so a bad config never becomes a snapshot and the running one stays.
 */
public final class ZonePolicies {
    private static final ZonePolicies NONE = new ZonePolicies(CompiledRules.empty(), null,
            ChallengeRules.compile(ChallengeConfig.defaults()), null, null, null);

    private final CompiledRules firewall;
    private final RateLimiter rateLimits;
    private final ChallengeRules challenge;
    private final ChallengeEndpoints endpoints;
    private final ZoneDefense defense;
    private final Blocklist blocklist;

    private ZonePolicies(CompiledRules firewall, RateLimiter rateLimits, ChallengeRules challenge, ChallengeEndpoints endpoints,
                         ZoneDefense defense, Blocklist blocklist) {
        this.firewall = firewall;
        this.rateLimits = rateLimits;
        this.challenge = challenge;
        this.endpoints = endpoints;
        this.defense = defense;
        this.blocklist = blocklist;
    }

    /** No rules, no limits, no challenge: the security phases let everything through. */
    public static ZonePolicies none() { return NONE; }

    /**
     * Compiles the zone's policies. {@code $name} lists resolve from the zone's lists, then
     * {@code globalLists} (read once per config for every zone).
     *
     * @throws IllegalArgumentException naming the zone, the rule and the position of each problem
     */
    public static ZonePolicies compile(ZoneConfig zone, GlobalLists globalLists, EdgePolicies edge) {
        NamedLists lists = new NamedLists(zone.lists(), globalLists);
        CompiledRules firewall;
        try {
            firewall = CompiledRules.compile(zone.firewall(), lists);
        } catch (RulesException e) {
            StringJoiner all = new StringJoiner("; ", "zone '" + zone.id() + "': firewall ", "");
            for (RuleProblem p : e.problems()) all.add(p.toString());
            throw new IllegalArgumentException(all.toString(), e);
        }
        Function<String, RequestMatcher> matcher = expression -> {
            RuleExpression compiled = RuleExpression.compile(expression, lists);
            return compiled::matches;
        };
        RateLimiter limiter;
        ChallengeRules challenge;
        try {
            limiter = zone.rateLimits().isEmpty() ? null
                    : new RateLimiter(zone.id(), zone.rateLimits(), matcher, edge.services().counters(), edge.bans());
            // a restriction by trust and safety challenges every visitor, whatever the zone's own exemptions say
            challenge = ChallengeRules.compile(zone.enforcement().status() == EnforcementConfig.Status.RESTRICTED
                    ? zone.challenge().restricted() : zone.challenge());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("zone '" + zone.id() + "': " + e.getMessage(), e);
        }
        return new ZonePolicies(firewall, limiter, challenge, edge.endpoints(), edge.defense(zone),
                edge.services().blocklist());
    }

    public CompiledRules firewall() { return firewall; }

    /** The zone's rate limiter, or null when it has no rate-limit rules. */
    public RateLimiter rateLimits() { return rateLimits; }

    public ChallengeRules challenge() { return challenge; }

    /** The edge's challenge endpoints, or null when challenges are not wired (a bare zone). */
    public ChallengeEndpoints endpoints() { return endpoints; }

    /** The edge's banned addresses and ranges, or null for a bare zone. */
    public Blocklist blocklist() { return blocklist; }

    /** The zone's attack sampler and detector, or null for a bare zone. */
    public ZoneDefense defense() { return defense; }

    /** The zone's origin shield, or null when the zone sets no origin_max_concurrent. */
    public OriginShield originShield() { return defense == null ? null : defense.originShield(); }

    /** True while the attack detector holds the zone in "under attack" mode. */
    public boolean underAttack() { return defense != null && defense.underAttack(); }

    /** Attack pressure 0..4, which raises the challenge's difficulty. */
    public int pressure() { return defense == null ? 0 : defense.pressure(); }
}
