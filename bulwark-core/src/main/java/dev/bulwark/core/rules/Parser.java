package dev.bulwark.core.rules;

import dev.bulwark.core.rules.Token.Kind;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Recursive-descent parser for the rule language.
 *
 * <pre>
 * expr       := and (('or' | '||') and)*
 * and        := unary (('and' | '&amp;&amp;') unary)*
 * unary      := ('not' | '!') unary | comparison
 * comparison := operand (op operand | 'in' (set | $list))?
 * operand    := '(' expr ')' | function '(' expr (',' expr)* ')' | field ('[' string ']')?
 *             | string | number | ip | 'true' | 'false'
 * set        := '{' item (','? item)* '}'      item := string | ip | number ('..' number)?
 * </pre>
 * Nesting is bounded so hostile input cannot overflow the stack.
 */
final class Parser {
    static final int MAX_LENGTH = 4096;
    private static final int MAX_DEPTH = 64;
    private static final Map<String, String> OPERATORS = Map.ofEntries(
            Map.entry("eq", "eq"), Map.entry("==", "eq"), Map.entry("ne", "ne"), Map.entry("!=", "ne"),
            Map.entry("lt", "lt"), Map.entry("<", "lt"), Map.entry("le", "le"), Map.entry("<=", "le"),
            Map.entry("gt", "gt"), Map.entry(">", "gt"), Map.entry("ge", "ge"), Map.entry(">=", "ge"),
            Map.entry("contains", "contains"), Map.entry("matches", "matches"), Map.entry("~", "matches"),
            Map.entry("wildcard", "wildcard"), Map.entry("in", "in"));
    private static final String OPERAND = "a field, string, number or '('";

    private final String src;
    private final List<Token> tokens;
    private int i;
    private int depth;

    private Parser(String src) {
        this.src = src;
        this.tokens = Lexer.tokenize(src);
    }

    static Ast parse(String src) {
        if (src == null) throw new RuleSyntaxException("expression is required", "", 0);
        if (src.length() > MAX_LENGTH) {
            throw new RuleSyntaxException("expression is " + src.length() + " characters; the limit is " + MAX_LENGTH, src, MAX_LENGTH);
        }
        Parser p = new Parser(src);
        if (p.peek().kind() == Kind.EOF) throw p.error("expected an expression", p.peek());
        Ast e = p.expr();
        Token t = p.peek();
        if (t.kind() != Kind.EOF) {
            String hint = t.kind() == Kind.WORD || t.kind() == Kind.SYMBOL ? "'and', 'or'" : "'and', 'or' or an operator";
            throw p.error("expected " + hint + " or end of expression, got " + t.describe(), t);
        }
        return e;
    }

    private Ast expr() {
        if (++depth > MAX_DEPTH) throw error("expression nests deeper than " + MAX_DEPTH + " levels", peek());
        try {
            Ast first = and();
            if (!isOr(peek())) return first;
            List<Ast> terms = new ArrayList<>(List.of(first));
            while (isOr(peek())) {
                i++;
                terms.add(and());
            }
            return new Ast.Or(first.pos(), terms);
        } finally {
            depth--;
        }
    }

    private Ast and() {
        Ast first = unary();
        if (!isAnd(peek())) return first;
        List<Ast> terms = new ArrayList<>(List.of(first));
        while (isAnd(peek())) {
            i++;
            terms.add(unary());
        }
        return new Ast.And(first.pos(), terms);
    }

    private Ast unary() {
        Token t = peek();
        if (t.is(Kind.WORD, "not") || t.is(Kind.SYMBOL, "!")) {
            i++;
            if (++depth > MAX_DEPTH) throw error("expression nests deeper than " + MAX_DEPTH + " levels", t);
            try {
                return new Ast.Not(t.start(), unary());
            } finally {
                depth--;
            }
        }
        return comparison();
    }

    private Ast comparison() {
        Ast left = operand();
        Token t = peek();
        String op = (t.kind() == Kind.WORD || t.kind() == Kind.SYMBOL) ? OPERATORS.get(t.text()) : null;
        if (op == null) return left;
        i++;
        if (op.equals("in")) {
            Token r = peek();
            if (r.kind() == Kind.LBRACE) return new Ast.Compare(t.start(), left, op, set());
            if (r.kind() == Kind.LIST) {
                i++;
                return new Ast.Compare(t.start(), left, op, new Ast.ListRef(r.start(), r.text()));
            }
            throw error("expected '{' or a $list after 'in', got " + r.describe(), r);
        }
        Ast right = operand();
        Token after = peek();
        if ((after.kind() == Kind.WORD || after.kind() == Kind.SYMBOL) && OPERATORS.containsKey(after.text())) {
            throw error("comparisons cannot be chained; use 'and' and parentheses", after);
        }
        return new Ast.Compare(t.start(), left, op, right);
    }

    private Ast operand() {
        Token t = next();
        switch (t.kind()) {
            case LPAREN -> {
                Ast e = expr();
                expect(Kind.RPAREN, "')'");
                return e;
            }
            case STRING, INT, IP -> {
                return new Ast.Literal(t.start(), t.kind(), t.text());
            }
            case WORD -> {
                String w = t.text();
                if (w.equals("true") || w.equals("false")) return new Ast.Literal(t.start(), Kind.WORD, w);
                if (OPERATORS.containsKey(w) || w.equals("and") || w.equals("or") || w.equals("not")) {
                    throw error("expected " + OPERAND + ", got '" + w + "'", t);
                }
                if (peek().kind() == Kind.LPAREN) return call(t);
                Ast.Literal key = null;
                if (peek().kind() == Kind.LBRACKET) {
                    i++;
                    Token k = next();
                    if (k.kind() != Kind.STRING) throw error("expected a quoted name inside [...], got " + k.describe(), k);
                    key = new Ast.Literal(k.start(), Kind.STRING, k.text());
                    expect(Kind.RBRACKET, "']'");
                }
                return new Ast.Field(t.start(), w, key);
            }
            case LIST -> throw error("a $list can only follow 'in'", t);
            case LBRACE -> throw error("a set {...} can only follow 'in'", t);
            default -> throw error("expected " + OPERAND + (t.kind() == Kind.EOF ? "" : ", got " + t.describe()), t);
        }
    }

    private Ast call(Token name) {
        i++; // '('
        List<Ast> args = new ArrayList<>();
        if (peek().kind() == Kind.RPAREN) throw error("expected an argument for " + name.text() + "()", peek());
        args.add(expr());
        while (peek().kind() == Kind.COMMA) {
            i++;
            args.add(expr());
        }
        expect(Kind.RPAREN, "',' or ')'");
        return new Ast.Call(name.start(), name.text(), args);
    }

    private Ast set() {
        Token open = next();
        List<Ast.SetItem> items = new ArrayList<>();
        while (true) {
            Token t = next();
            if (t.kind() == Kind.RBRACE) {
                if (items.isEmpty()) throw error("a set needs at least one value", t);
                return new Ast.SetLiteral(open.start(), items);
            }
            if (t.kind() == Kind.COMMA && !items.isEmpty()) continue;
            if (t.kind() != Kind.STRING && t.kind() != Kind.INT && t.kind() != Kind.IP) {
                throw error("expected a string, number, IP range or '}' in set, got " + t.describe(), t);
            }
            Ast.Literal from = new Ast.Literal(t.start(), t.kind(), t.text());
            Ast.Literal to = null;
            if (peek().kind() == Kind.RANGE) {
                Token dots = next();
                Token hi = next();
                if (t.kind() != Kind.INT || hi.kind() != Kind.INT) throw error("ranges '..' join two numbers", dots);
                to = new Ast.Literal(hi.start(), Kind.INT, hi.text());
            }
            items.add(new Ast.SetItem(from, to));
        }
    }

    private static boolean isOr(Token t) { return t.is(Kind.WORD, "or") || t.is(Kind.SYMBOL, "||"); }

    private static boolean isAnd(Token t) { return t.is(Kind.WORD, "and") || t.is(Kind.SYMBOL, "&&"); }

    private Token peek() { return tokens.get(i); }

    private Token next() {
        Token t = tokens.get(i);
        if (t.kind() != Kind.EOF) i++;
        return t;
    }

    private void expect(Kind k, String what) {
        Token t = next();
        if (t.kind() != k) throw error("expected " + what + ", got " + t.describe(), t);
    }

    private RuleSyntaxException error(String reason, Token at) { return new RuleSyntaxException(reason, src, at.start()); }
}
