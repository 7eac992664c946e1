package dev.bulwark.core.rules;

/**
 * A rule expression was refused: a syntax error, a type error, an unknown field, list or
 * function, or a bad regex. Carries the 1-based line and column within the expression and
 * says what was expected, e.g. {@code expected a field, string, number or '(' at 1:17}.
 */
public final class RuleSyntaxException extends RuntimeException {
    private final String reason;
    private final int offset;
    private final int line;
    private final int column;

    RuleSyntaxException(String reason, String expression, int offset) {
        this(reason, offset, lineOf(expression, offset), columnOf(expression, offset));
    }

    private RuleSyntaxException(String reason, int offset, int line, int column) {
        super(reason + " at " + line + ":" + column, null, false, false);
        this.reason = reason;
        this.offset = offset;
        this.line = line;
        this.column = column;
    }

    /** What is wrong, without the position. */
    public String reason() { return reason; }

    /** 0-based character offset into the expression. */
    public int offset() { return offset; }

    /** 1-based line within the expression. */
    public int line() { return line; }

    /** 1-based column within the line (in UTF-16 characters). */
    public int column() { return column; }

    private static int lineOf(String text, int offset) {
        int line = 1;
        for (int i = 0; i < Math.min(offset, text.length()); i++) if (text.charAt(i) == '\n') line++;
        return line;
    }

    private static int columnOf(String text, int offset) {
        int col = 1;
        for (int i = 0; i < Math.min(offset, text.length()); i++) col = text.charAt(i) == '\n' ? 1 : col + 1;
        return col;
    }
}
