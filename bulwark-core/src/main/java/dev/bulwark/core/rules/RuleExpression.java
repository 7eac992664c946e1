package dev.bulwark.core.rules;

import dev.bulwark.core.request.RequestFacts;

import java.util.List;
import java.util.Set;

/**
 * One compiled rule expression: built once per config version, then evaluated on every
 * request without reflection. Thread-safe and immutable.
 *
 * <pre>{@code
 * RuleExpression e = RuleExpression.compile("http.request.method eq \"POST\" and not ip.src in $office", lists);
 * if (e.matches(request)) ...
 * }</pre>
 */
public final class RuleExpression {
    /** Longest expression accepted, in characters. */
    public static final int MAX_LENGTH = Parser.MAX_LENGTH;

    private final String text;
    private final Eval.Cond condition;
    private final Set<String> fields;

    RuleExpression(String text, Eval.Cond condition, Set<String> fields) {
        this.text = text;
        this.condition = condition;
        this.fields = fields;
    }

    /**
     * Parses, type-checks and compiles an expression.
     *
     * @param lists where {@code $name} references are resolved (null: no lists)
     * @throws RuleSyntaxException with the line, column and what was expected
     */
    public static RuleExpression compile(String expression, NamedLists lists) {
        return Compiler.compile(expression, lists);
    }

    public static RuleExpression compile(String expression) { return compile(expression, null); }

    /** True when the request matches. */
    public boolean matches(RequestFacts request) { return condition.test(request); }

    /** The source text. */
    public String text() { return text; }

    /** The field names this expression reads (for example to know whether it needs cookies). */
    public Set<String> fields() { return fields; }

    /** Every field the language knows, in documentation order. */
    public static List<String> knownFields() { return Fields.names(); }

    @Override
    public String toString() { return text; }
}
