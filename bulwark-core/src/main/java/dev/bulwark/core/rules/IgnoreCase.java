package dev.bulwark.core.rules;

/**
 * Case-insensitive search without allocation. For an ASCII needle (prepared lower-case) the
 * scan folds ASCII letters inline and defers to {@link String#regionMatches(boolean, int, String, int, int)}
 * only where the value holds a non-ASCII character (some, like the Kelvin sign, fold to ASCII
 * letters), so results equal the JDK's per-character case-insensitive comparison.
 */
final class IgnoreCase {
    private IgnoreCase() {}

    static boolean isAscii(String s) {
        for (int i = 0; i < s.length(); i++) if (s.charAt(i) >= 128) return false;
        return true;
    }

    /**
     * Leftmost index of {@code needle} in {@code value[from, limit)} ignoring case, or -1.
     * {@code asciiLower} says the needle is ASCII and already lower-case.
     */
    static int indexOf(String value, String needle, int from, int limit, boolean asciiLower) {
        int n = needle.length();
        int max = limit - n;
        if (n == 0) return from <= limit ? from : -1;
        if (!asciiLower) {
            for (int i = from; i <= max; i++) if (value.regionMatches(true, i, needle, 0, n)) return i;
            return -1;
        }
        char first = needle.charAt(0);
        for (int i = from; i <= max; i++) {
            char c = value.charAt(i);
            if (c >= 128) {
                if (value.regionMatches(true, i, needle, 0, n)) return i;
                continue;
            }
            if (fold(c) != first) continue;
            if (matchesAt(value, i, needle)) return i;
        }
        return -1;
    }

    /** True when value[at, at + needle.length()) equals the ASCII lower-case needle ignoring case. */
    static boolean matchesAt(String value, int at, String needle) {
        int n = needle.length();
        if (at < 0 || at + n > value.length()) return false;
        for (int j = 0; j < n; j++) {
            char d = value.charAt(at + j);
            if (d >= 128) return value.regionMatches(true, at, needle, 0, n);
            if (fold(d) != needle.charAt(j)) return false;
        }
        return true;
    }

    private static char fold(char c) { return c >= 'A' && c <= 'Z' ? (char) (c + 32) : c; }
}
