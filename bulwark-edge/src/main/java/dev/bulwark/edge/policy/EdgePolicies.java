package dev.bulwark.edge.policy;

import dev.bulwark.core.challenge.ChallengeEndpoints;
import dev.bulwark.core.limit.BoundedBanTable;
import dev.bulwark.edge.EdgeServices;
import dev.bulwark.edge.policy.firewall.RuleMatchMeters;
import dev.bulwark.edge.zone.Zone;
import dev.bulwark.edge.zone.ZoneTable;

/**
 * The security-policy state of the whole edge, which outlives any one config snapshot:
 * the challenge endpoints (signing with the edge's {@code KeyRing}), the rate-limit counters
 * and the table of keys banned by rate limits, and the per-rule match meters.
 *
 * <p>Counters and bans are shared by every zone (each key is seeded with zone and rule id), so
 * a reload that rebuilds a zone's rate limiter keeps its counts and bans: an attacker gains
 * nothing from the operator editing a rule.
 */
public final class EdgePolicies {
    /** Keys banned by rate-limit rules that one process remembers before evicting the soonest to expire. */
    public static final int BAN_TABLE_CAPACITY = 1 << 16;

    private final EdgeServices services;
    private final ChallengeEndpoints endpoints;
    private final BoundedBanTable bans;
    private final RuleMatchMeters ruleMeters;

    public EdgePolicies(EdgeServices services) {
        this.services = services;
        this.endpoints = new ChallengeEndpoints(services.keyRing(), services.clock());
        this.bans = new BoundedBanTable(BAN_TABLE_CAPACITY, services.clock());
        this.ruleMeters = new RuleMatchMeters(services.meters());
    }

    public EdgeServices services() { return services; }

    public ChallengeEndpoints endpoints() { return endpoints; }

    public BoundedBanTable bans() { return bans; }

    public RuleMatchMeters ruleMeters() { return ruleMeters; }

    /** Called once a snapshot is live: meters follow its rules. */
    public void installed(ZoneTable zones) {
        for (Zone z : zones.zones()) ruleMeters.track(z.id(), z.policies().firewall());
    }
}
