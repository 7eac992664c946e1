package dev.bulwark.core.rules;

import dev.bulwark.core.rules.Token.Kind;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits an expression into tokens. IP literals need care because IPv6 addresses may start
 * with letters ({@code fe80::1}): a run of hex digits, dots, colons and a slash is an IP
 * literal when it contains a colon or has the dotted-quad shape; otherwise digits form a
 * number and letters a word.
 */
final class Lexer {
    private final String src;
    private int pos;
    private final List<Token> out = new ArrayList<>();

    private Lexer(String src) { this.src = src; }

    static List<Token> tokenize(String src) {
        Lexer l = new Lexer(src);
        l.run();
        return l.out;
    }

    private void run() {
        while (true) {
            skipSpace();
            if (pos >= src.length()) {
                out.add(new Token(Kind.EOF, "", pos));
                return;
            }
            char c = src.charAt(pos);
            int start = pos;
            switch (c) {
                case '(' -> single(Kind.LPAREN);
                case ')' -> single(Kind.RPAREN);
                case '{' -> single(Kind.LBRACE);
                case '}' -> single(Kind.RBRACE);
                case '[' -> single(Kind.LBRACKET);
                case ']' -> single(Kind.RBRACKET);
                case ',' -> single(Kind.COMMA);
                case '"' -> string(start);
                case '$' -> list(start);
                case '=', '!', '<', '>', '~', '&', '|' -> symbol(start);
                default -> {
                    if (c == '.' && peek(1) == '.') {
                        pos += 2;
                        out.add(new Token(Kind.RANGE, "..", start));
                    } else if (c == 'r' && (peek(1) == '"' || (peek(1) == '#' && peek(2) == '"'))) {
                        rawString(start);
                    } else if (isHex(c) || c == ':') {
                        numberIpOrWord(start);
                    } else if (isWordStart(c)) {
                        word(start);
                    } else {
                        throw new RuleSyntaxException("unexpected character '" + printable(src.codePointAt(pos)) + "'", src, pos);
                    }
                }
            }
        }
    }

    private void skipSpace() {
        while (pos < src.length() && Character.isWhitespace(src.charAt(pos))) pos++;
    }

    private char peek(int ahead) { return pos + ahead < src.length() ? src.charAt(pos + ahead) : '\0'; }

    private void single(Kind k) {
        out.add(new Token(k, String.valueOf(src.charAt(pos)), pos));
        pos++;
    }

    private void symbol(int start) {
        char c = src.charAt(pos), n = peek(1);
        String two = "" + c + n;
        String text = switch (two) {
            case "==", "!=", "<=", ">=", "&&", "||" -> two;
            default -> switch (c) {
                case '<', '>', '~', '!' -> String.valueOf(c);
                default -> throw new RuleSyntaxException(c == '=' ? "expected '==' (a single '=' is not an operator)"
                        : "expected '" + c + c + "'", src, start);
            };
        };
        pos += text.length();
        out.add(new Token(Kind.SYMBOL, text, start));
    }

    private void string(int start) {
        pos++; // opening quote
        StringBuilder sb = new StringBuilder();
        while (true) {
            if (pos >= src.length()) throw new RuleSyntaxException("unterminated string: expected '\"'", src, start);
            char c = src.charAt(pos);
            if (c == '"') {
                pos++;
                break;
            }
            if (c == '\\') {
                if (pos + 1 >= src.length()) throw new RuleSyntaxException("unterminated string: expected '\"'", src, start);
                char e = src.charAt(pos + 1);
                switch (e) {
                    case '"', '\\' -> sb.append(e);
                    case 'n' -> sb.append('\n');
                    case 't' -> sb.append('\t');
                    case 'r' -> sb.append('\r');
                    case 'x' -> {
                        int hi = pos + 2 < src.length() ? Character.digit(src.charAt(pos + 2), 16) : -1;
                        int lo = pos + 3 < src.length() ? Character.digit(src.charAt(pos + 3), 16) : -1;
                        if (hi < 0 || lo < 0) throw new RuleSyntaxException("expected two hex digits after \\x", src, pos);
                        sb.append((char) (hi * 16 + lo));
                        pos += 2;
                    }
                    default -> throw new RuleSyntaxException("unknown escape '\\" + printable(e)
                            + "' (expected \\\", \\\\, \\n, \\t, \\r or \\xHH; use r\"...\" for regexes)", src, pos);
                }
                pos += 2;
            } else {
                sb.append(c);
                pos++;
            }
        }
        out.add(new Token(Kind.STRING, sb.toString(), start));
    }

    /** r"..." or r#"..."#: no escapes, for regexes full of backslashes. */
    private void rawString(int start) {
        boolean hash = src.charAt(pos + 1) == '#';
        pos += hash ? 3 : 2;
        String close = hash ? "\"#" : "\"";
        int end = src.indexOf(close, pos);
        if (end < 0) throw new RuleSyntaxException("unterminated raw string: expected '" + close + "'", src, start);
        out.add(new Token(Kind.STRING, src.substring(pos, end), start));
        pos = end + close.length();
    }

    private void list(int start) {
        pos++;
        int s = pos;
        while (pos < src.length() && ((isWordPart(src.charAt(pos)) && src.charAt(pos) != '.') || src.charAt(pos) == '-')) pos++;
        if (pos == s) throw new RuleSyntaxException("expected a list name after '$'", src, start);
        out.add(new Token(Kind.LIST, src.substring(s, pos), start));
    }

    private void numberIpOrWord(int start) {
        int end = pos;
        boolean colon = false, slash = false;
        while (end < src.length()) {
            char c = src.charAt(end);
            if (c == ':') colon = true;
            else if (c == '/') slash = true;
            else if (!(isHex(c) || c == '.')) break;
            end++;
        }
        String run = src.substring(pos, end);
        boolean wordFollows = end < src.length() && isWordPart(src.charAt(end));
        if (!wordFollows && (colon || looksLikeV4(run, slash))) {
            pos = end;
            out.add(new Token(Kind.IP, run, start));
            return;
        }
        char c = src.charAt(pos);
        if (c >= '0' && c <= '9') {
            int e = pos;
            while (e < src.length() && Character.isDigit(src.charAt(e)) && src.charAt(e) < 128) e++;
            if (e < src.length() && isWordStart(src.charAt(e))) {
                throw new RuleSyntaxException("expected a number, got '" + src.substring(pos, Math.min(src.length(), e + 1)) + "…'", src, start);
            }
            out.add(new Token(Kind.INT, src.substring(pos, e), start));
            pos = e;
        } else if (isWordStart(c)) {
            word(start);
        } else {
            throw new RuleSyntaxException("expected an IP address or range, got '" + run + "'", src, start);
        }
    }

    private static boolean looksLikeV4(String run, boolean slash) {
        int dots = 0;
        for (int i = 0; i < run.length(); i++) {
            char c = run.charAt(i);
            if (c == '.') {
                if (i + 1 < run.length() && run.charAt(i + 1) == '.') return false; // "1..5" is a range
                dots++;
            } else if (c != '/' && (c < '0' || c > '9')) {
                return false;
            }
        }
        return dots == 3 || (slash && dots > 0);
    }

    private void word(int start) {
        while (pos < src.length() && isWordPart(src.charAt(pos))) {
            if (src.charAt(pos) == '.' && peek(1) == '.') break;
            pos++;
        }
        String w = src.substring(start, pos);
        if (w.endsWith(".")) throw new RuleSyntaxException("a name cannot end with '.'", src, pos - 1);
        out.add(new Token(Kind.WORD, w, start));
    }

    private static boolean isHex(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

    private static boolean isWordStart(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }

    private static boolean isWordPart(char c) { return isWordStart(c) || (c >= '0' && c <= '9') || c == '.'; }

    static String printable(int cp) {
        return Character.isISOControl(cp) || Character.isWhitespace(cp) ? String.format("U+%04X", cp) : new String(Character.toChars(cp));
    }
}
