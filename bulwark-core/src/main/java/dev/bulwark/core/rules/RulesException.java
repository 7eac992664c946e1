package dev.bulwark.core.rules;

import java.util.List;
import java.util.stream.Collectors;

/** A zone's rules were refused; lists every bad rule, not just the first. */
public final class RulesException extends Exception {
    private final List<RuleProblem> problems;

    public RulesException(List<RuleProblem> problems) {
        super(problems.stream().map(RuleProblem::toString).collect(Collectors.joining("\n")));
        this.problems = List.copyOf(problems);
    }

    public List<RuleProblem> problems() { return problems; }
}
