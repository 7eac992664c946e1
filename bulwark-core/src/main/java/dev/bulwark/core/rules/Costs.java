package dev.bulwark.core.rules;

/**
 * A rough relative cost of evaluating a node, used only to order the terms of 'and' / 'or'.
 * Reading a field the request already holds costs 1; work that scans, decodes or allocates
 * costs more; regexes cost most.
 */
final class Costs {
    private Costs() {}

    static int of(Ast node) {
        return switch (node) {
            case Ast.Literal l -> 0;
            case Ast.Field f -> switch (f.name()) {
                case "http.request.uri.args" -> 8;
                case "http.request.cookies", "http.cookie" -> 6;
                case "http.request.headers", "http.user_agent", "http.referer", "http.x_forwarded_for",
                     "http.request.uri.path.extension" -> 3;
                default -> 1;
            };
            case Ast.Call c -> {
                int args = 0;
                for (Ast a : c.args()) args += of(a);
                yield args + switch (c.function()) {
                    case "lower", "upper", "url_decode" -> 10;
                    default -> 2;
                };
            }
            case Ast.Compare c -> of(c.left()) + of(c.right()) + switch (c.op()) {
                case "matches" -> 30;
                case "contains", "wildcard" -> 4;
                case "in" -> 2;
                default -> 1;
            };
            case Ast.And a -> a.terms().stream().mapToInt(Costs::of).sum();
            case Ast.Or o -> o.terms().stream().mapToInt(Costs::of).sum();
            case Ast.Not n -> of(n.term());
            case Ast.SetLiteral s -> 0;
            case Ast.ListRef l -> 0;
        };
    }
}
