package dev.bulwark.core.rules;

import java.util.ArrayList;
import java.util.List;

/**
 * A compiled {@code wildcard} pattern: {@code *} matches any run of characters (including
 * none), {@code \*} and {@code \\} stand for themselves, everything else is literal. The
 * match covers the whole value and ignores case, as with edge providers' {@code wildcard}.
 *
 * <p>Matching needs no regex and no backtracking: the pattern is literal segments between
 * stars; the first must start the value, the last must end it, and each middle segment is
 * taken at its leftmost place after the previous one (leftmost is always safe with only
 * {@code *} wildcards). Time is at most value length × pattern length, with no allocation.
 */
final class Wildcards {
    /** Literal pieces between stars; a leading or trailing star leaves an empty first or last piece. */
    private final String[] segments;
    /** Every segment is ASCII and has been lower-cased, so the fast ASCII scan applies. */
    private final boolean ascii;

    private Wildcards(String[] segments) {
        boolean allAscii = true;
        for (String s : segments) allAscii &= IgnoreCase.isAscii(s);
        if (allAscii) for (int i = 0; i < segments.length; i++) segments[i] = segments[i].toLowerCase(java.util.Locale.ROOT);
        this.segments = segments;
        this.ascii = allAscii;
    }

    static Wildcards compile(String pattern) {
        List<String> parts = new ArrayList<>();
        StringBuilder literal = new StringBuilder();
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c == '\\' && i + 1 < pattern.length() && (pattern.charAt(i + 1) == '*' || pattern.charAt(i + 1) == '\\')) {
                literal.append(pattern.charAt(++i));
            } else if (c == '*') {
                parts.add(literal.toString());
                literal.setLength(0);
            } else {
                literal.append(c);
            }
        }
        parts.add(literal.toString());
        return new Wildcards(parts.toArray(new String[0]));
    }

    boolean matches(String value) {
        int n = segments.length;
        if (n == 1) return value.length() == segments[0].length() && regionEquals(value, 0, segments[0]);
        String first = segments[0], last = segments[n - 1];
        if (value.length() < first.length() + last.length()) return false;
        if (!regionEquals(value, 0, first)) return false;
        int end = value.length() - last.length();
        if (!regionEquals(value, end, last)) return false;
        int pos = first.length();
        for (int s = 1; s < n - 1; s++) {
            pos = IgnoreCase.indexOf(value, segments[s], pos, end, ascii);
            if (pos < 0) return false;
            pos += segments[s].length();
        }
        return true;
    }

    private boolean regionEquals(String value, int at, String segment) {
        return ascii ? IgnoreCase.matchesAt(value, at, segment) : value.regionMatches(true, at, segment, 0, segment.length());
    }

    @Override
    public String toString() { return String.join("*", segments); }
}
