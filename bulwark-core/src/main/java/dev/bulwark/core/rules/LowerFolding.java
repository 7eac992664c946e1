package dev.bulwark.core.rules;

import java.util.Locale;
import java.util.function.BiFunction;

/**
 * Rewrites the common {@code lower(x) OP "literal"} shapes (eq, ne, contains, starts_with,
 * ends_with with an ASCII lower-case literal) so that they compare case-insensitively in
 * place instead of building a lower-cased copy of x on every request. When x holds any
 * non-ASCII character the rewrite falls back to {@code lower()} itself, because Unicode
 * lower-casing may change a string's length ("İ" becomes "i̇"); results are identical.
 */
final class LowerFolding {
    private LowerFolding() {}

    /** The folded condition, or null when the shape does not apply (the caller compiles it as written). */
    static Eval.Cond of(String op, Ast left, Ast right, BiFunction<Ast, String, Eval.Str> compileString) {
        if (!(left instanceof Ast.Call call) || !call.function().equals("lower") || call.args().size() != 1) return null;
        if (!(right instanceof Ast.Literal lit) || lit.kind() != Token.Kind.STRING) return null;
        String needle = lit.text();
        if (needle.isEmpty() || !IgnoreCase.isAscii(needle) || !needle.equals(needle.toLowerCase(Locale.ROOT))) return null;
        Eval.Str inner;
        switch (op) {
            case "eq", "ne", "contains", "starts_with", "ends_with" -> inner = compileString.apply(call.args().get(0), "lower()");
            default -> {
                return null;
            }
        }
        Eval.Cond c = switch (op) {
            case "eq", "ne" -> r -> {
                String v = inner.get(r);
                return IgnoreCase.isAscii(v) ? v.length() == needle.length() && IgnoreCase.matchesAt(v, 0, needle)
                        : v.toLowerCase(Locale.ROOT).equals(needle);
            };
            case "contains" -> r -> {
                String v = inner.get(r);
                return IgnoreCase.isAscii(v) ? IgnoreCase.indexOf(v, needle, 0, v.length(), true) >= 0
                        : v.toLowerCase(Locale.ROOT).contains(needle);
            };
            case "starts_with" -> r -> {
                String v = inner.get(r);
                return IgnoreCase.isAscii(v) ? IgnoreCase.matchesAt(v, 0, needle) : v.toLowerCase(Locale.ROOT).startsWith(needle);
            };
            default -> r -> {
                String v = inner.get(r);
                return IgnoreCase.isAscii(v) ? IgnoreCase.matchesAt(v, v.length() - needle.length(), needle)
                        : v.toLowerCase(Locale.ROOT).endsWith(needle);
            };
        };
        if (op.equals("ne")) {
            Eval.Cond eq = c;
            return r -> !eq.test(r);
        }
        return c;
    }
}
