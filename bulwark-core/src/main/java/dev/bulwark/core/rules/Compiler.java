package dev.bulwark.core.rules;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import dev.bulwark.core.net.Cidr;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * Type-checks the syntax tree and turns it into a tree of small lambdas, once per config
 * version. Each AST node first becomes a {@link Typed} value (its type plus its evaluator,
 * and the literal itself for constants), so every type error is found before anything runs
 * and names the position of the offending operand.
 *
 * <p>Constants are prepared here, not per request: regexes and wildcards are compiled with
 * RE2/J (linear time), sets become hash sets, sorted integer ranges or an {@link IpSet}.
 */
final class Compiler {
    /** A typed node: its type, its evaluator (an {@link Eval} shape) and, for literals, the literal. */
    record Typed(Type type, Object eval, Ast.Literal literal) {
        Eval.Str str() { return (Eval.Str) eval; }
        Eval.Num num() { return (Eval.Num) eval; }
        Eval.Cond cond() { return (Eval.Cond) eval; }
        Eval.Ip ip() { return (Eval.Ip) eval; }
    }

    private final String src;
    private final NamedLists lists;
    private final Set<String> fieldsUsed = new TreeSet<>();

    private Compiler(String src, NamedLists lists) {
        this.src = src;
        this.lists = lists;
    }

    /** Parses, checks and compiles a whole expression, which must be a condition. */
    static RuleExpression compile(String src, NamedLists lists) {
        Ast ast = Parser.parse(src);
        Compiler c = new Compiler(src, lists == null ? NamedLists.none() : lists);
        Typed t = c.typed(ast);
        if (t.type() != Type.BOOL) {
            throw c.error("the expression must be a condition (true or false), not a " + t.type().display()
                    + "; compare it with an operator such as eq", ast.pos());
        }
        return new RuleExpression(src, t.cond(), Set.copyOf(c.fieldsUsed));
    }

    private Typed typed(Ast node) {
        return switch (node) {
            case Ast.Literal l -> literal(l);
            case Ast.Field f -> field(f);
            case Ast.Call c -> call(c);
            case Ast.Compare c -> compare(c);
            case Ast.Not n -> {
                Eval.Cond inner = condition(n.term(), "not");
                yield bool((Eval.Cond) r -> !inner.test(r));
            }
            case Ast.And a -> {
                Eval.Cond[] terms = conditions(a.terms(), "and");
                yield bool(terms.length == 2 ? and2(terms[0], terms[1]) : r -> {
                    for (Eval.Cond t : terms) if (!t.test(r)) return false;
                    return true;
                });
            }
            case Ast.Or o -> {
                Eval.Cond[] terms = conditions(o.terms(), "or");
                yield bool(terms.length == 2 ? or2(terms[0], terms[1]) : r -> {
                    for (Eval.Cond t : terms) if (t.test(r)) return true;
                    return false;
                });
            }
            case Ast.SetLiteral s -> throw error("a set {...} can only follow 'in'", s.pos());
            case Ast.ListRef l -> throw error("a $list can only follow 'in'", l.pos());
        };
    }

    private static Eval.Cond and2(Eval.Cond a, Eval.Cond b) { return r -> a.test(r) && b.test(r); }

    private static Eval.Cond or2(Eval.Cond a, Eval.Cond b) { return r -> a.test(r) || b.test(r); }

    /**
     * Compiles the terms of an 'and' / 'or' in source order (so errors come in reading order),
     * then orders them cheapest first: terms have no side effects, so the result is the same
     * and short-circuiting skips the expensive ones (regexes, lower(), query parsing) more often.
     */
    private Eval.Cond[] conditions(List<Ast> terms, String op) {
        Eval.Cond[] out = new Eval.Cond[terms.size()];
        Integer[] order = new Integer[out.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = condition(terms.get(i), op);
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Integer.compare(Costs.of(terms.get(a)), Costs.of(terms.get(b))));
        Eval.Cond[] sorted = new Eval.Cond[out.length];
        for (int i = 0; i < out.length; i++) sorted[i] = out[order[i]];
        return sorted;
    }

    private Eval.Cond condition(Ast node, String op) {
        Typed t = typed(node);
        if (t.type() != Type.BOOL) {
            throw error("'" + op + "' needs a condition, got a " + t.type().display() + "; compare it with an operator such as eq", node.pos());
        }
        return t.cond();
    }

    private Typed literal(Ast.Literal l) {
        return switch (l.kind()) {
            case STRING -> {
                String v = l.text();
                yield new Typed(Type.STRING, (Eval.Str) r -> v, l);
            }
            case INT -> {
                long v = parseInt(l);
                yield new Typed(Type.INT, (Eval.Num) r -> v, l);
            }
            case IP -> {
                Cidr c = parseCidr(l);
                IpSet single = IpSet.ofRanges(List.of(c));
                yield new Typed(Type.IP, single, l);
            }
            default -> {
                boolean v = l.text().equals("true");
                yield new Typed(Type.BOOL, (Eval.Cond) r -> v, l);
            }
        };
    }

    private Typed field(Ast.Field f) {
        Fields.Def def = Fields.find(f.name());
        if (def == null) {
            String hint = Fields.suggest(f.name());
            String what = f.name().indexOf('.') < 0 && f.key() == null ? "unknown field or keyword '" : "unknown field '";
            throw error(what + f.name() + "'" + (hint != null ? " (did you mean '" + hint + "'?)" : ""), f.pos());
        }
        fieldsUsed.add(f.name());
        if (def.isKeyed()) {
            if (f.key() == null) throw error(f.name() + " needs a name: " + f.name() + "[\"name\"]", f.pos() + f.name().length());
            String key = f.key().text();
            if (f.name().equals("http.request.headers")) key = key.toLowerCase(Locale.ROOT);
            return new Typed(def.type(), def.keyed().apply(key), null);
        }
        if (f.key() != null) throw error(f.name() + " takes no [\"name\"]", f.key().pos());
        return new Typed(def.type(), def.reader(), null);
    }

    private Typed call(Ast.Call c) {
        String fn = c.function();
        List<Ast> args = c.args();
        switch (fn) {
            case "lower", "upper", "url_decode", "len" -> {
                arity(c, 1);
                Eval.Str s = string(args.get(0), fn + "()");
                return switch (fn) {
                    case "lower" -> new Typed(Type.STRING, (Eval.Str) r -> s.get(r).toLowerCase(Locale.ROOT), null);
                    case "upper" -> new Typed(Type.STRING, (Eval.Str) r -> s.get(r).toUpperCase(Locale.ROOT), null);
                    case "url_decode" -> new Typed(Type.STRING, (Eval.Str) r -> Requests.urlDecode(s.get(r)), null);
                    default -> new Typed(Type.INT, (Eval.Num) r -> Requests.utf8Length(s.get(r)), null);
                };
            }
            case "starts_with", "ends_with" -> {
                arity(c, 2);
                Eval.Str s = string(args.get(0), fn + "()");
                Eval.Str p = string(args.get(1), fn + "()");
                Eval.Cond folded = LowerFolding.of(fn, args.get(0), args.get(1), this::string);
                if (folded != null) return bool(folded);
                return bool(fn.equals("starts_with") ? r -> s.get(r).startsWith(p.get(r)) : r -> s.get(r).endsWith(p.get(r)));
            }
            default -> throw error("unknown function '" + fn + "' (expected lower, upper, len, starts_with, ends_with or url_decode)", c.pos());
        }
    }

    private void arity(Ast.Call c, int n) {
        if (c.args().size() != n) {
            int at = c.args().size() > n ? c.args().get(n).pos() : c.pos();
            throw error(c.function() + "() takes " + n + (n == 1 ? " argument" : " arguments") + ", got " + c.args().size(), at);
        }
    }

    Eval.Str string(Ast node, String where) {
        Typed t = typed(node);
        if (t.type() != Type.STRING) throw error(where + " needs a string, got a " + t.type().display(), node.pos());
        return t.str();
    }

    private Typed compare(Ast.Compare c) {
        if (c.op().equals("in")) return in(c);
        Typed l = typed(c.left());
        Typed r = typed(c.right());
        String op = c.op();
        if (l.type() == Type.STRING && r.type() == Type.STRING) {
            Eval.Cond folded = LowerFolding.of(op, c.left(), c.right(), this::string);
            if (folded != null) return bool(folded);
        }
        if (l.type() == Type.IP) return ipCompare(c, l, r);
        if (r.type() == Type.IP) throw error("an IP literal can only be compared with ip.src", c.right().pos());
        if (l.type() != r.type()) {
            throw error("cannot compare " + l.type().display() + " with " + r.type().display() + " using " + op, c.right().pos());
        }
        Type t = l.type();
        switch (op) {
            case "eq", "ne" -> {
                Eval.Cond eq = switch (t) {
                    case STRING -> equalsString(l, r);
                    case INT -> {
                        Eval.Num a = l.num(), b = r.num();
                        yield x -> a.get(x) == b.get(x);
                    }
                    default -> {
                        Eval.Cond a = l.cond(), b = r.cond();
                        yield x -> a.test(x) == b.test(x);
                    }
                };
                return bool(op.equals("eq") ? eq : x -> !eq.test(x));
            }
            case "lt", "le", "gt", "ge" -> {
                if (t != Type.INT) throw error(op + " compares numbers, got " + t.display() + " operands", c.pos());
                Eval.Num a = l.num(), b = r.num();
                return bool(switch (op) {
                    case "lt" -> x -> a.get(x) < b.get(x);
                    case "le" -> x -> a.get(x) <= b.get(x);
                    case "gt" -> x -> a.get(x) > b.get(x);
                    default -> x -> a.get(x) >= b.get(x);
                });
            }
            case "contains" -> {
                requireString(c, t);
                Eval.Str a = l.str(), b = r.str();
                if (r.literal() != null) {
                    String needle = r.literal().text();
                    return bool(x -> a.get(x).contains(needle));
                }
                return bool(x -> a.get(x).contains(b.get(x)));
            }
            case "matches" -> {
                requireString(c, t);
                Ast.Literal lit = constant(r, c, "matches needs a quoted regex");
                Pattern p = regex(lit.text(), lit.pos(), 0);
                RegexPrefilter pre = RegexPrefilter.of(lit.text());
                Eval.Str a = l.str();
                if (pre == null) return bool(x -> p.matcher(a.get(x)).find());
                return bool(x -> {
                    String v = a.get(x);
                    return pre.mayMatch(v) && p.matcher(v).find();
                });
            }
            case "wildcard" -> {
                requireString(c, t);
                Ast.Literal lit = constant(r, c, "wildcard needs a quoted pattern");
                Wildcards w = Wildcards.compile(lit.text());
                Eval.Str a = l.str();
                return bool(x -> w.matches(a.get(x)));
            }
            default -> throw error("unknown operator " + op, c.pos());
        }
    }

    private static Eval.Cond equalsString(Typed l, Typed r) {
        Eval.Str a = l.str(), b = r.str();
        if (r.literal() != null) {
            String v = r.literal().text();
            return x -> v.equals(a.get(x));
        }
        if (l.literal() != null) {
            String v = l.literal().text();
            return x -> v.equals(b.get(x));
        }
        return x -> a.get(x).equals(b.get(x));
    }

    private Typed ipCompare(Ast.Compare c, Typed l, Typed r) {
        if (l.literal() != null) throw error("put the field first: ip.src " + c.op() + " " + l.literal().text(), c.left().pos());
        if (!c.op().equals("eq") && !c.op().equals("ne")) {
            throw error("an ip can be compared with eq, ne or in, not " + c.op(), c.pos());
        }
        if (r.type() != Type.IP || r.literal() == null) {
            throw error("expected an IP address or CIDR range after " + c.op() + ", got a " + r.type().display(), c.right().pos());
        }
        IpSet set = (IpSet) r.eval();
        Eval.Ip a = l.ip();
        return bool(c.op().equals("eq") ? x -> set.contains(a.get(x)) : x -> !set.contains(a.get(x)));
    }

    private Typed in(Ast.Compare c) {
        Typed l = typed(c.left());
        if (l.type() == Type.BOOL) throw error("'in' needs a string, number or ip on the left, got a bool", c.left().pos());
        if (l.type() == Type.IP && l.literal() != null) throw error("put the field first: ip.src in ...", c.left().pos());
        if (c.right() instanceof Ast.ListRef ref) return inList(l, ref);
        Ast.SetLiteral set = (Ast.SetLiteral) c.right();
        Token.Kind want = switch (l.type()) {
            case STRING -> Token.Kind.STRING;
            case INT -> Token.Kind.INT;
            default -> Token.Kind.IP;
        };
        for (Ast.SetItem item : set.items()) {
            if (item.from().kind() != want) {
                throw error("this set is compared with a " + l.type().display() + ", but holds " + describe(item.from()), item.from().pos());
            }
        }
        switch (l.type()) {
            case STRING -> {
                Set<String> values = new HashSet<>();
                for (Ast.SetItem item : set.items()) values.add(item.from().text());
                Set<String> frozen = Set.copyOf(values);
                Eval.Str a = l.str();
                return bool(x -> frozen.contains(a.get(x)));
            }
            case INT -> {
                long[][] ranges = new long[set.items().size()][];
                for (int i = 0; i < ranges.length; i++) {
                    Ast.SetItem item = set.items().get(i);
                    long lo = parseInt(item.from());
                    long hi = item.to() == null ? lo : parseInt(item.to());
                    if (hi < lo) throw error("range " + lo + ".." + hi + " is empty", item.to().pos());
                    ranges[i] = new long[]{lo, hi};
                }
                IntRanges r = IntRanges.of(ranges);
                Eval.Num a = l.num();
                return bool(x -> r.contains(a.get(x)));
            }
            default -> {
                List<Cidr> cidrs = new ArrayList<>();
                for (Ast.SetItem item : set.items()) cidrs.add(parseCidr(item.from()));
                IpSet ips = IpSet.ofRanges(cidrs);
                Eval.Ip a = l.ip();
                return bool(x -> ips.contains(a.get(x)));
            }
        }
    }

    private Typed inList(Typed l, Ast.ListRef ref) {
        try {
            switch (l.type()) {
                case IP -> {
                    IpSet ips = lists.ipSet(ref.name());
                    Eval.Ip a = l.ip();
                    return bool(x -> ips.contains(a.get(x)));
                }
                case STRING -> {
                    Set<String> values = lists.strings(ref.name());
                    Eval.Str a = l.str();
                    return bool(x -> values.contains(a.get(x)));
                }
                default -> throw error("lists hold strings or IP ranges; use a set {...} for numbers", ref.pos());
            }
        } catch (IllegalArgumentException e) {
            String reason = e.getMessage().startsWith("unknown list") ? e.getMessage() : "list $" + ref.name() + ": " + e.getMessage();
            throw error(reason, ref.pos());
        }
    }

    private static String describe(Ast.Literal l) {
        return switch (l.kind()) {
            case STRING -> "a string";
            case INT -> "a number";
            case IP -> "an IP range";
            default -> "'" + l.text() + "'";
        };
    }

    private void requireString(Ast.Compare c, Type t) {
        if (t != Type.STRING) throw error(c.op() + " needs string operands, got " + t.display(), c.pos());
    }

    private Ast.Literal constant(Typed r, Ast.Compare c, String reason) {
        if (r.literal() == null) throw error(reason, c.right().pos());
        return r.literal();
    }

    private Pattern regex(String regex, int pos, int flags) {
        try {
            return Pattern.compile(regex, flags);
        } catch (PatternSyntaxException e) {
            throw error("invalid regex: " + e.getDescription(), pos);
        }
    }

    private long parseInt(Ast.Literal l) {
        try {
            return Long.parseLong(l.text());
        } catch (NumberFormatException e) {
            throw error("number " + l.text() + " is too large", l.pos());
        }
    }

    private Cidr parseCidr(Ast.Literal l) {
        try {
            return Cidr.parse(l.text());
        } catch (IllegalArgumentException e) {
            throw error(e.getMessage(), l.pos());
        }
    }

    private static Typed bool(Eval.Cond c) { return new Typed(Type.BOOL, c, null); }

    private RuleSyntaxException error(String reason, int pos) { return new RuleSyntaxException(reason, src, pos); }

    /** Sorted, merged inclusive ranges of integers; membership by binary search. */
    record IntRanges(long[] lo, long[] hi) {
        static IntRanges of(long[][] ranges) {
            long[][] sorted = ranges.clone();
            Arrays.sort(sorted, (a, b) -> Long.compare(a[0], b[0]));
            long[] lo = new long[sorted.length], hi = new long[sorted.length];
            int n = 0;
            for (long[] r : sorted) {
                if (n > 0 && r[0] <= hi[n - 1] + 1) {
                    hi[n - 1] = Math.max(hi[n - 1], r[1]);
                } else {
                    lo[n] = r[0];
                    hi[n] = r[1];
                    n++;
                }
            }
            return new IntRanges(Arrays.copyOf(lo, n), Arrays.copyOf(hi, n));
        }

        boolean contains(long v) {
            int i = Arrays.binarySearch(lo, v);
            if (i >= 0) return true;
            int below = -i - 2;
            return below >= 0 && v <= hi[below];
        }
    }
}
