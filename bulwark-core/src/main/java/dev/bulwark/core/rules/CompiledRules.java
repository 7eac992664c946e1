package dev.bulwark.core.rules;

import dev.bulwark.core.config.FirewallRuleConfig;
import dev.bulwark.core.config.FirewallRuleConfig.Action;
import dev.bulwark.core.config.FirewallRuleConfig.Mode;
import dev.bulwark.core.request.RequestFacts;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The firewall rules of one zone, compiled once per config version and shared by every
 * event loop.
 *
 * <p>Evaluation runs the rules in order. {@code block}, {@code challenge} and {@code allow}
 * end it (the first such match wins); {@code skip} records phases to skip and goes on
 * (skipping {@code firewall} ends the firewall rules without a terminating outcome);
 * {@code log} and any rule in log-only mode count the match, note the rule id and go on,
 * never changing the outcome. Every match is counted per rule.
 *
 * <p>Compilation checks every rule and reports all problems at once, so an operator fixes a
 * file in one pass; a zone either gets all its rules or keeps the ones it had.
 */
public final class CompiledRules {
    /** Phases a {@code skip} rule may name. */
    public static final Set<String> SKIPPABLE_PHASES = Set.of("access", "firewall", "ratelimit", "challenge");

    private static final CompiledRules EMPTY = new CompiledRules(new CompiledRule[0]);

    private final CompiledRule[] rules;

    private CompiledRules(CompiledRule[] rules) { this.rules = rules; }

    public static CompiledRules empty() { return EMPTY; }

    /**
     * Compiles a zone's rules; {@code $name} resolves from {@code zoneLists}, then {@code globalLists}.
     *
     * @throws RulesException listing every rule that is refused, with positions
     */
    public static CompiledRules compile(List<FirewallRuleConfig> rules, Map<String, List<String>> zoneLists,
                                        Map<String, List<String>> globalLists) throws RulesException {
        return compile(rules, new NamedLists(zoneLists, globalLists));
    }

    /**
     * Compiles every zone's rules of a config, building each global list once for all zones.
     *
     * @return compiled rules per zone id, in config order
     * @throws RulesException for the first zone with bad rules (the config loader reports all of them)
     */
    public static Map<String, CompiledRules> compileAll(dev.bulwark.core.config.BulwarkConfig config) throws RulesException {
        GlobalLists global = new GlobalLists(config.lists());
        Map<String, CompiledRules> out = new LinkedHashMap<>();
        for (dev.bulwark.core.config.ZoneConfig z : config.zones()) {
            out.put(z.id(), compile(z.firewall(), new NamedLists(z.lists(), global)));
        }
        return out;
    }

    public static CompiledRules compile(List<FirewallRuleConfig> rules, NamedLists lists) throws RulesException {
        if (rules == null || rules.isEmpty()) return EMPTY;
        List<RuleProblem> problems = new ArrayList<>();
        List<CompiledRule> out = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < rules.size(); i++) {
            FirewallRuleConfig r = rules.get(i);
            String id = r == null || r.id() == null || r.id().isBlank() ? "#" + (i + 1) : r.id();
            if (r == null) {
                problems.add(new RuleProblem(i, id, "expression", 0, 0, "rule is empty"));
                continue;
            }
            int before = problems.size();
            if (r.id() != null && !ids.add(r.id())) problems.add(new RuleProblem(i, id, "id", 0, 0, "duplicate rule id '" + id + "'"));
            checkAction(i, id, r, problems);
            RuleExpression e = null;
            if (r.expression() == null || r.expression().isBlank()) {
                problems.add(new RuleProblem(i, id, "expression", 0, 0, "expression is required"));
            } else {
                try {
                    e = RuleExpression.compile(r.expression(), lists);
                } catch (RuleSyntaxException ex) {
                    problems.add(new RuleProblem(i, id, "expression", ex.line(), ex.column(), ex.reason()));
                }
            }
            if (problems.size() == before) out.add(new CompiledRule(i, id, r.action(), r.mode(), r.skipPhases(), e));
        }
        if (!problems.isEmpty()) throw new RulesException(problems);
        return new CompiledRules(out.toArray(new CompiledRule[0]));
    }

    private static void checkAction(int i, String id, FirewallRuleConfig r, List<RuleProblem> problems) {
        if (r.action() == null) {
            problems.add(new RuleProblem(i, id, "action", 0, 0, "action is required (block, challenge, allow, skip or log)"));
            return;
        }
        if (r.action() == Action.SKIP) {
            if (r.skipPhases().isEmpty()) {
                problems.add(new RuleProblem(i, id, "skip_phases", 0, 0, "action skip needs skip_phases (one or more of "
                        + String.join(", ", new java.util.TreeSet<>(SKIPPABLE_PHASES)) + ")"));
            }
            for (String p : r.skipPhases()) {
                if (!SKIPPABLE_PHASES.contains(p)) {
                    problems.add(new RuleProblem(i, id, "skip_phases", 0, 0, "unknown phase '" + p + "' (expected one of "
                            + String.join(", ", new java.util.TreeSet<>(SKIPPABLE_PHASES)) + ")"));
                }
            }
        } else if (!r.skipPhases().isEmpty()) {
            problems.add(new RuleProblem(i, id, "skip_phases", 0, 0, "skip_phases only applies to action skip"));
        }
    }

    /** Runs the rules against a request. Allocates only when a skip or log rule matched. */
    public Verdict evaluate(RequestFacts request) {
        Set<String> skipped = null;
        List<String> logged = null;
        for (CompiledRule rule : rules) {
            if (!rule.test(request)) continue;
            if (rule.mode() == Mode.LOG || rule.action() == Action.LOG) {
                if (logged == null) logged = new ArrayList<>(2);
                logged.add(rule.id());
                continue;
            }
            if (rule.action() == Action.SKIP) {
                if (skipped == null) skipped = new LinkedHashSet<>();
                skipped.addAll(rule.skipPhases());
                if (rule.skipPhases().contains("firewall")) break;
                continue;
            }
            if (logged == null) return rule.soleVerdict;
            return new Verdict(rule.soleVerdict.outcome(), rule.id(), Set.of(), List.copyOf(logged));
        }
        if (skipped == null && logged == null) return Verdict.NONE;
        return new Verdict(Verdict.Outcome.CONTINUE, null, skipped == null ? Set.of() : Set.copyOf(skipped),
                logged == null ? List.of() : List.copyOf(logged));
    }

    /** The compiled rules in order (for metrics: ids and match counters). */
    public List<CompiledRule> rules() { return List.of(rules); }

    /** Match count per rule id, in rule order. */
    public Map<String, Long> matchCounts() {
        Map<String, Long> m = new LinkedHashMap<>();
        for (CompiledRule r : rules) m.put(r.id(), r.matchCount());
        return m;
    }

    public int size() { return rules.length; }

    public boolean isEmpty() { return rules.length == 0; }
}
