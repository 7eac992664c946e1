package dev.bulwark.core.rules;

import java.util.List;
import java.util.Set;

/**
 * What a zone's firewall rules decided for one request.
 *
 * <ul>
 *   <li>{@link Outcome#BLOCK}, {@link Outcome#CHALLENGE}: answer the request (403 page or challenge).</li>
 *   <li>{@link Outcome#ALLOW}: forward it, skipping the remaining security phases.</li>
 *   <li>{@link Outcome#CONTINUE}: nothing terminating matched; run the next phases, except
 *       those named in {@link #skippedPhases()}.</li>
 * </ul>
 * {@link #loggedRuleIds()} lists rules that matched without changing the outcome (action
 * {@code log}, or any rule in log-only mode), for the access log. When nothing matched the
 * shared {@link #NONE} instance is returned, so the common case allocates nothing.
 */
public final class Verdict {
    public enum Outcome { CONTINUE, BLOCK, CHALLENGE, ALLOW }

    /** Nothing matched. */
    public static final Verdict NONE = new Verdict(Outcome.CONTINUE, null, Set.of(), List.of());

    private final Outcome outcome;
    private final String ruleId;
    private final Set<String> skippedPhases;
    private final List<String> loggedRuleIds;

    Verdict(Outcome outcome, String ruleId, Set<String> skippedPhases, List<String> loggedRuleIds) {
        this.outcome = outcome;
        this.ruleId = ruleId;
        this.skippedPhases = skippedPhases;
        this.loggedRuleIds = loggedRuleIds;
    }

    public Outcome outcome() { return outcome; }

    /** Id of the rule that decided the outcome, or null for {@link Outcome#CONTINUE}. */
    public String ruleId() { return ruleId; }

    /** Phases that matching {@code skip} rules asked to skip (empty for terminating outcomes). */
    public Set<String> skippedPhases() { return skippedPhases; }

    /** True when the named phase should not run for this request. */
    public boolean skips(String phase) { return skippedPhases.contains(phase); }

    /** Ids of rules that matched but only log, in rule order. */
    public List<String> loggedRuleIds() { return loggedRuleIds; }

    /** True for block, challenge and allow: no later firewall rule ran. */
    public boolean terminates() { return outcome != Outcome.CONTINUE; }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Verdict[").append(outcome.name().toLowerCase());
        if (ruleId != null) sb.append(" by ").append(ruleId);
        if (!skippedPhases.isEmpty()) sb.append(", skip ").append(skippedPhases);
        if (!loggedRuleIds.isEmpty()) sb.append(", logged ").append(loggedRuleIds);
        return sb.append(']').toString();
    }
}
