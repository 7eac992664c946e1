package dev.bulwark.core.rules;

import java.util.List;

/** The untyped syntax tree the parser builds; every node keeps its 0-based source offset. */
sealed interface Ast {
    int pos();

    record Field(int pos, String name, Ast.Literal key) implements Ast {}

    record Call(int pos, String function, List<Ast> args) implements Ast {}

    record Literal(int pos, Token.Kind kind, String text) implements Ast {}

    /** One member of a set literal; {@code to} is non-null for an integer range {@code 80..90}. */
    record SetItem(Literal from, Literal to) {}

    record SetLiteral(int pos, List<SetItem> items) implements Ast {}

    record ListRef(int pos, String name) implements Ast {}

    /** {@code op} is the canonical word: eq ne lt le gt ge contains matches wildcard in. */
    record Compare(int pos, Ast left, String op, Ast right) implements Ast {}

    record And(int pos, List<Ast> terms) implements Ast {}

    record Or(int pos, List<Ast> terms) implements Ast {}

    record Not(int pos, Ast term) implements Ast {}
}
