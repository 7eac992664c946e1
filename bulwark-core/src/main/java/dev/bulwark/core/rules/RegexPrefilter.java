package dev.bulwark.core.rules;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A cheap necessary condition for a regex: literals of which at least one must occur in any
 * value the regex can match. {@code (?i)(sqlmap|nikto)} needs "sqlmap" or "nikto";
 * {@code union[ +]+select} needs "select" (the longest required run). Values without any of
 * them are rejected with {@code String.contains}-speed scans before RE2/J's NFA runs, which
 * makes non-matching requests (nearly all of them) cheap.
 *
 * <p>The analysis understands only plain literals, escaped punctuation, groups, alternation,
 * quantifiers and a leading flag group; anything else (classes, anchors, {@code \d},
 * inline flags later on) ends a literal run or, where unsure, gives up, so the prefilter is
 * never wrong, only sometimes absent.
 */
final class RegexPrefilter {
    private final String[] literals;
    private final boolean ignoreCase;
    /** For ignore-case: bit c set when some literal starts with ASCII c (literals are ASCII, lower-case). */
    private final long firstLow;
    private final long firstHigh;

    private RegexPrefilter(String[] literals, boolean ignoreCase) {
        this.literals = literals;
        this.ignoreCase = ignoreCase;
        long low = 0, high = 0;
        for (String l : literals) {
            char c = l.charAt(0);
            if (c < 64) low |= 1L << c;
            else high |= 1L << (c - 64);
        }
        this.firstLow = low;
        this.firstHigh = high;
    }

    /** A prefilter for the regex, or null when none can be derived safely. */
    static RegexPrefilter of(String regex) {
        boolean ignoreCase = false;
        int start = 0;
        if (regex.startsWith("(?")) {
            int close = regex.indexOf(')');
            if (close < 0) return null;
            String flags = regex.substring(2, close);
            if (flags.matches("[imsU]+")) { // otherwise a "(?:" group or something else: analysed as a whole
                ignoreCase = flags.indexOf('i') >= 0;
                start = close + 1;
            }
        }
        Analyzer a = new Analyzer(regex, start);
        Set<String> need;
        try {
            need = a.alternation();
            if (a.pos != regex.length()) return null;
        } catch (GiveUp e) {
            return null;
        }
        if (need == null || need.isEmpty()) return null;
        for (String s : need) if (s.isEmpty()) return null;
        if (ignoreCase) for (String s : need) for (int i = 0; i < s.length(); i++) if (s.charAt(i) >= 128) return null;
        String[] literals = need.toArray(new String[0]);
        if (ignoreCase) for (int i = 0; i < literals.length; i++) literals[i] = literals[i].toLowerCase(java.util.Locale.ROOT);
        return new RegexPrefilter(literals, ignoreCase);
    }

    /** False only when the regex certainly cannot match the value. */
    boolean mayMatch(String value) {
        if (!ignoreCase) {
            for (String lit : literals) if (value.contains(lit)) return true;
            return false;
        }
        // one pass over the value for all literals: a first-character bitmap picks the candidate positions
        for (int i = 0, n = value.length(); i < n; i++) {
            char c = value.charAt(i);
            if (c >= 128) {
                for (String lit : literals) if (value.regionMatches(true, i, lit, 0, lit.length())) return true;
                continue;
            }
            char f = c >= 'A' && c <= 'Z' ? (char) (c + 32) : c;
            if (((f < 64 ? firstLow >>> f : firstHigh >>> (f - 64)) & 1L) == 0) continue;
            for (String lit : literals) if (lit.charAt(0) == f && IgnoreCase.matchesAt(value, i, lit)) return true;
        }
        return false;
    }

    List<String> literals() { return List.of(literals); }

    private static final class GiveUp extends RuntimeException {
        GiveUp() { super(null, null, false, false); }
    }

    /** Recursive analysis; each method returns the any-of literal set a construct requires, or null for "nothing known". */
    private static final class Analyzer {
        private final String re;
        int pos;

        Analyzer(String re, int pos) {
            this.re = re;
            this.pos = pos;
        }

        Set<String> alternation() {
            List<Set<String>> branches = new ArrayList<>();
            branches.add(concatenation());
            while (pos < re.length() && re.charAt(pos) == '|') {
                pos++;
                branches.add(concatenation());
            }
            if (branches.size() == 1) return branches.get(0);
            Set<String> union = new LinkedHashSet<>();
            for (Set<String> b : branches) {
                if (b == null) return null; // one branch needs nothing, so the whole needs nothing
                union.addAll(b);
            }
            return union;
        }

        /** Picks the most selective requirement among the items of a sequence. */
        Set<String> concatenation() {
            Set<String> best = null;
            StringBuilder run = new StringBuilder();
            while (pos < re.length() && re.charAt(pos) != '|' && re.charAt(pos) != ')') {
                char c = re.charAt(pos);
                if (c == '(') {
                    best = better(best, literal(run));
                    pos++;
                    if (pos < re.length() && re.charAt(pos) == '?') {
                        if (re.startsWith("?:", pos)) pos += 2;
                        else throw new GiveUp(); // flags, names, lookarounds: not worth the risk
                    }
                    Set<String> inner = alternation();
                    if (pos >= re.length() || re.charAt(pos) != ')') throw new GiveUp();
                    pos++;
                    if (quantifierFollows()) {
                        char q = re.charAt(pos);
                        skipQuantifier();
                        if (q != '+') inner = null; // ?, * and {n,m} may drop the group
                    }
                    best = better(best, inner);
                    continue;
                }
                Character lit = literalChar();
                if (lit == null) { // class, dot, anchor, \d...: ends the run
                    best = better(best, literal(run));
                    skipAtom();
                    if (quantifierFollows()) skipQuantifier();
                    continue;
                }
                if (quantifierFollows()) {
                    char q = re.charAt(pos);
                    if (q == '+') run.append(lit); // at least once: the char is there, then anything may repeat
                    best = better(best, literal(run));
                    skipQuantifier();
                    continue;
                }
                run.append(lit);
            }
            return better(best, literal(run));
        }

        /** Reads one literal character (plain or escaped punctuation), or returns null without moving for anything else. */
        private Character literalChar() {
            char c = re.charAt(pos);
            if (Character.isLetterOrDigit(c) && c < 128 || c == ' ' || c == '/' || c == '-' || c == '_' || c == '=' || c == ','
                    || c == ':' || c == ';' || c == '<' || c == '>' || c == '\'' || c == '"' || c == '%' || c == '&' || c == '@'
                    || c == '!' || c == '#' || c == '~' || c == '`') {
                pos++;
                return c;
            }
            if (c == '\\' && pos + 1 < re.length()) {
                char e = re.charAt(pos + 1);
                if (!Character.isLetterOrDigit(e) && e < 128) {
                    pos += 2;
                    return e;
                }
            }
            return null;
        }

        private void skipAtom() {
            char c = re.charAt(pos);
            if (c == '\\') {
                if (pos + 1 >= re.length()) throw new GiveUp();
                // one-character classes and assertions; anything longer (\x41, \123, \pL, \Q...\E) is not analysed
                if ("dDwWsSbBAzntrfva".indexOf(re.charAt(pos + 1)) < 0) throw new GiveUp();
                pos += 2;
            } else if (c == '[') {
                int i = pos + 1;
                if (i < re.length() && re.charAt(i) == '^') i++;
                if (i < re.length() && re.charAt(i) == ']') i++;
                while (i < re.length() && re.charAt(i) != ']') {
                    if (re.charAt(i) == '\\') i++;
                    else if (re.charAt(i) == '[') throw new GiveUp(); // [[:alpha:]]
                    i++;
                }
                if (i >= re.length()) throw new GiveUp();
                pos = i + 1;
            } else if (c == '.' || c == '^' || c == '$') {
                pos++;
            } else if (c == '*' || c == '+' || c == '?' || c == '{') {
                throw new GiveUp();
            } else {
                pos += Character.charCount(re.codePointAt(pos)); // other characters: unknown, treat as a run break
            }
        }

        private boolean quantifierFollows() {
            if (pos >= re.length()) return false;
            char c = re.charAt(pos);
            return c == '*' || c == '+' || c == '?' || c == '{';
        }

        private void skipQuantifier() {
            if (re.charAt(pos) == '{') {
                int close = re.indexOf('}', pos);
                if (close < 0) throw new GiveUp();
                pos = close + 1;
            } else {
                pos++;
            }
            if (pos < re.length() && (re.charAt(pos) == '?' || re.charAt(pos) == '+')) pos++; // lazy / possessive marks
        }

        private static Set<String> literal(StringBuilder run) {
            if (run.isEmpty()) return null;
            Set<String> s = Set.of(run.toString());
            run.setLength(0);
            return s;
        }

        /** Prefers the requirement whose shortest literal is longest (fewer false candidates). */
        private static Set<String> better(Set<String> a, Set<String> b) {
            if (a == null) return b;
            if (b == null) return a;
            return shortest(b) > shortest(a) ? b : a;
        }

        private static int shortest(Set<String> s) {
            int m = Integer.MAX_VALUE;
            for (String x : s) m = Math.min(m, x.length());
            return m;
        }
    }
}
