package dev.bulwark.core.rules;

import dev.bulwark.core.request.RequestFacts;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Derived request values: query arguments, cookies, percent-decoding. Allocate only when used. */
final class Requests {
    private Requests() {}

    /** First value of query argument {@code name} (names and values percent-decoded), or "". */
    static String queryArg(String query, String name) {
        int i = 0, n = query.length();
        while (i <= n) {
            int amp = query.indexOf('&', i);
            if (amp < 0) amp = n;
            int eq = query.indexOf('=', i);
            int nameEnd = eq < 0 || eq > amp ? amp : eq;
            if (nameEnd > i || amp > i) {
                if (nameMatches(query, i, nameEnd, name)) {
                    return nameEnd == amp ? "" : urlDecode(query.substring(nameEnd + 1, amp));
                }
            }
            i = amp + 1;
        }
        return "";
    }

    /** Compares a raw argument name with a decoded one, decoding (and allocating) only when the raw name has escapes. */
    private static boolean nameMatches(String query, int from, int to, String name) {
        boolean plain = true;
        for (int k = from; k < to; k++) {
            char c = query.charAt(k);
            if (c == '%' || c == '+') {
                plain = false;
                break;
            }
        }
        if (plain) return to - from == name.length() && query.regionMatches(from, name, 0, name.length());
        return urlDecode(query.substring(from, to)).equals(name);
    }

    /** All Cookie headers joined the way HTTP/1.1 sends them; "" when there are none. */
    static String cookieHeader(RequestFacts r) {
        String first = r.header("cookie");
        if (first == null) return "";
        List<String> all = r.headers("cookie");
        return all.size() <= 1 ? first : String.join("; ", all);
    }

    /** Value of cookie {@code name}, or "". Looks through every Cookie header. */
    static String cookie(RequestFacts r, String name) {
        String first = r.header("cookie");
        if (first == null) return "";
        String v = cookieIn(first, name);
        if (v != null) return v;
        List<String> all = r.headers("cookie");
        for (int k = 1; k < all.size(); k++) {
            v = cookieIn(all.get(k), name);
            if (v != null) return v;
        }
        return "";
    }

    private static String cookieIn(String header, String name) {
        int i = 0, n = header.length();
        while (i < n) {
            while (i < n && (header.charAt(i) == ' ' || header.charAt(i) == ';')) i++;
            int semi = header.indexOf(';', i);
            if (semi < 0) semi = n;
            int eq = header.indexOf('=', i);
            if (eq > 0 && eq < semi && header.regionMatches(i, name, 0, name.length()) && eq - i == name.length()) {
                String v = header.substring(eq + 1, semi).trim();
                return v.length() >= 2 && v.charAt(0) == '"' && v.charAt(v.length() - 1) == '"' ? v.substring(1, v.length() - 1) : v;
            }
            i = semi + 1;
        }
        return null;
    }

    /**
     * Percent-decodes as UTF-8 and turns '+' into a space. Malformed escapes are kept as
     * written and invalid UTF-8 becomes U+FFFD, so decoding never fails. Returns the input
     * itself when there is nothing to decode.
     */
    static String urlDecode(String s) {
        if (s.indexOf('%') < 0 && s.indexOf('+') < 0) return s;
        ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); ) {
            char c = s.charAt(i);
            if (c == '%' && i + 2 < s.length() && hex(s.charAt(i + 1)) >= 0 && hex(s.charAt(i + 2)) >= 0) {
                out.write(hex(s.charAt(i + 1)) * 16 + hex(s.charAt(i + 2)));
                i += 3;
            } else if (c == '+') {
                out.write(' ');
                i++;
            } else {
                int cp = s.codePointAt(i);
                byte[] b = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8);
                out.write(b, 0, b.length);
                i += Character.charCount(cp);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /** Length in UTF-8 bytes, counted without encoding. */
    static long utf8Length(String s) {
        long n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) n += 1;
            else if (c < 0x800) n += 2;
            else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                n += 4;
                i++;
            } else n += 3;
        }
        return n;
    }

    private static int hex(char c) { return Character.digit(c, 16) >= 0 && c < 128 ? Character.digit(c, 16) : -1; }
}
