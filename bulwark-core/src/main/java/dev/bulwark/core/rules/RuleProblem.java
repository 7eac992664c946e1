package dev.bulwark.core.rules;

/**
 * One refused rule: its 0-based index in the zone's list, its id, the config key at fault
 * ({@code expression}, {@code action}, {@code skip_phases} or {@code id}), and for
 * expressions the 1-based line and column within the expression (0 otherwise).
 */
public record RuleProblem(int index, String ruleId, String key, int line, int column, String reason) {
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("rule ").append(ruleId);
        if (line > 0) sb.append(" at ").append(line).append(':').append(column);
        else sb.append(" (").append(key).append(')');
        return sb.append(": ").append(reason).toString();
    }
}
