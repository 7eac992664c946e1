package dev.bulwark.edge.policy.firewall;

import dev.bulwark.core.rules.CompiledRule;
import dev.bulwark.core.rules.CompiledRules;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Per-rule match counters as Micrometer meters: {@code bulwark_firewall_rule_matches_total{zone,rule}}.
 *
 * <p>Each compiled rule counts its own matches, but a reload compiles new rules with fresh
 * counts. A meter must never go down, so each (zone, rule id) keeps one meter for the life of
 * the edge: it reads the rule of the current snapshot and adds what the rules it replaced had
 * counted. Nothing is done on the request path; the registry reads the counts when scraped.
 */
public final class RuleMatchMeters {
    private final MeterRegistry registry;
    private final ConcurrentHashMap<String, Tally> tallies = new ConcurrentHashMap<>();

    public RuleMatchMeters(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Points the zone's meters at freshly compiled rules (called when a snapshot is built). */
    public void track(String zoneId, CompiledRules rules) {
        for (CompiledRule r : rules.rules()) {
            tallies.computeIfAbsent(zoneId + '\u0000' + r.id(), k -> register(zoneId, r.id())).follow(r);
        }
    }

    /** Matches counted for a rule since the edge started, across reloads; 0 for an unknown rule. */
    public long matches(String zoneId, String ruleId) {
        Tally t = tallies.get(zoneId + '\u0000' + ruleId);
        return t == null ? 0 : (long) t.total();
    }

    private Tally register(String zoneId, String ruleId) {
        Tally t = new Tally();
        FunctionCounter.builder("bulwark.firewall.rule.matches", t, Tally::total)
                .description("Requests a firewall rule matched (log-only matches included)")
                .tag("zone", zoneId).tag("rule", ruleId)
                .register(registry);
        return t;
    }

    /** The running total of one rule id: counts of replaced rules plus the current rule's count. */
    private static final class Tally {
        private volatile CompiledRule current;
        private long carried;

        synchronized void follow(CompiledRule next) {
            CompiledRule before = current;
            if (before == next) return;
            if (before != null) carried += before.matchCount();
            current = next;
        }

        synchronized double total() {
            CompiledRule c = current;
            return carried + (c == null ? 0 : c.matchCount());
        }
    }
}
