package dev.bulwark.core.rules;

import dev.bulwark.core.config.FirewallRuleConfig;

import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;

/**
 * One compiled firewall rule with its match counter. The counter is a {@link LongAdder} so
 * event-loop threads counting the same rule do not contend.
 */
public final class CompiledRule {
    private final int index;
    private final String id;
    private final FirewallRuleConfig.Action action;
    private final FirewallRuleConfig.Mode mode;
    private final Set<String> skipPhases;
    private final RuleExpression expression;
    private final LongAdder matches = new LongAdder();
    /** The verdict this rule gives alone, shared by every request it decides. */
    final Verdict soleVerdict;

    CompiledRule(int index, String id, FirewallRuleConfig.Action action, FirewallRuleConfig.Mode mode,
                 List<String> skipPhases, RuleExpression expression) {
        this.index = index;
        this.id = id;
        this.action = action;
        this.mode = mode;
        this.skipPhases = Set.copyOf(skipPhases);
        this.expression = expression;
        this.soleVerdict = switch (action) {
            case BLOCK -> new Verdict(Verdict.Outcome.BLOCK, id, Set.of(), List.of());
            case CHALLENGE -> new Verdict(Verdict.Outcome.CHALLENGE, id, Set.of(), List.of());
            case ALLOW -> new Verdict(Verdict.Outcome.ALLOW, id, Set.of(), List.of());
            default -> null;
        };
    }

    public int index() { return index; }

    /** The configured id, or {@code #n} (1-based position) when the rule has none. */
    public String id() { return id; }

    public FirewallRuleConfig.Action action() { return action; }

    public FirewallRuleConfig.Mode mode() { return mode; }

    public Set<String> skipPhases() { return skipPhases; }

    public RuleExpression expression() { return expression; }

    /** How many requests matched this rule since it was compiled (log-only matches included). */
    public long matchCount() { return matches.sum(); }

    /** True when a match only counts and logs: log-only mode or the {@code log} action. */
    public boolean logsOnly() { return mode == FirewallRuleConfig.Mode.LOG || action == FirewallRuleConfig.Action.LOG; }

    boolean test(dev.bulwark.core.request.RequestFacts r) {
        if (!expression.matches(r)) return false;
        matches.increment();
        return true;
    }

    @Override
    public String toString() { return id + " (" + action.name().toLowerCase() + (logsOnly() && action != FirewallRuleConfig.Action.LOG ? ", log only" : "") + ")"; }
}
