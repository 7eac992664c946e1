package dev.bulwark.core.rules;

/** One lexical token of a rule expression; {@code start} is its 0-based offset. */
record Token(Kind kind, String text, int start) {
    enum Kind {
        /** field names, keywords, operator words and function names: {@code http.host}, {@code and}, {@code eq} */
        WORD,
        STRING, INT, IP, LIST,
        LPAREN, RPAREN, LBRACE, RBRACE, LBRACKET, RBRACKET, COMMA, RANGE,
        /** symbolic operators: == != &lt; &lt;= &gt; &gt;= ~ &amp;&amp; || ! */
        SYMBOL,
        EOF
    }

    boolean is(Kind k, String t) { return kind == k && text.equals(t); }

    String describe() {
        return switch (kind) {
            case EOF -> "end of expression";
            case STRING -> "string \"" + text + "\"";
            case LIST -> "list $" + text;
            default -> "'" + text + "'";
        };
    }
}
