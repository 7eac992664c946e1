package dev.bulwark.core.rules;

import com.google.re2j.Pattern;

/**
 * Turns a wildcard pattern into an RE2 regex: {@code *} matches any run of characters
 * (including none), {@code \*} and {@code \\} stand for themselves, everything else is literal.
 * The match covers the whole value and ignores case, as with edge providers' {@code wildcard}.
 */
final class Wildcards {
    private Wildcards() {}

    static String toRegex(String pattern) {
        StringBuilder re = new StringBuilder();
        StringBuilder literal = new StringBuilder();
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c == '\\' && i + 1 < pattern.length() && (pattern.charAt(i + 1) == '*' || pattern.charAt(i + 1) == '\\')) {
                literal.append(pattern.charAt(++i));
            } else if (c == '*') {
                flush(re, literal);
                re.append(".*");
            } else {
                literal.append(c);
            }
        }
        flush(re, literal);
        return re.toString();
    }

    private static void flush(StringBuilder re, StringBuilder literal) {
        if (!literal.isEmpty()) re.append(Pattern.quote(literal.toString()));
        literal.setLength(0);
    }
}
