package dev.bulwark.core.limit;

import dev.bulwark.core.request.RequestFacts;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.List;
import java.util.Locale;

/**
 * One part of a rate-limit key, parsed from the rule's {@code key} list. Each part folds its
 * value into the key hash directly from the request, without building a key string.
 *
 * <p>Accepted names (the firewall-rules field names, with short aliases):
 * <ul>
 *   <li>{@code ip.src} — client address</li>
 *   <li>{@code ip.prefix} / {@code ip.src.prefix} — client network: IPv4 /24, IPv6 /64</li>
 *   <li>{@code http.request.headers["name"]} / {@code header:name}</li>
 *   <li>{@code http.request.cookies["name"]} / {@code cookie:name}</li>
 *   <li>{@code http.request.uri.path} / {@code path}</li>
 *   <li>{@code http.request.uri.args["name"]} / {@code query:name} — a query parameter, raw</li>
 *   <li>{@code http.host} / {@code host}, {@code http.request.method} / {@code method}</li>
 *   <li>{@code clearance.id} — the visitor's clearance id (absent without clearance)</li>
 * </ul>
 * A missing value (no such header) is a value of its own: all requests without the header share
 * one counter, as with Cloudflare's characteristics.
 */
public sealed interface KeyCharacteristic {
    long mix(long h, RequestFacts r);

    static KeyCharacteristic parse(String text) {
        String t = text.trim();
        String lower = t.toLowerCase(Locale.ROOT);
        switch (lower) {
            case "ip.src": return new Address();
            case "ip.prefix", "ip.src.prefix": return new Prefix();
            case "http.request.uri.path", "path": return new Path();
            case "http.host", "host": return new Host();
            case "http.request.method", "method": return new Method();
            case "clearance.id", "cf.clearance.id": return new ClearanceId();
            default:
        }
        String name;
        if ((name = argument(t, "http.request.headers[", "header:")) != null) return new Header(name.toLowerCase(Locale.ROOT));
        if ((name = argument(t, "http.request.cookies[", "cookie:")) != null) return new Cookie(name);
        if ((name = argument(t, "http.request.uri.args[", "query:")) != null) return new QueryArg(name);
        throw new IllegalArgumentException("unknown rate-limit key characteristic '" + text + "' (expected ip.src, ip.prefix, "
                + "http.request.headers[\"name\"], http.request.cookies[\"name\"], http.request.uri.path, "
                + "http.request.uri.args[\"name\"], http.host, http.request.method or clearance.id)");
    }

    private static String argument(String t, String bracketForm, String shortForm) {
        String lower = t.toLowerCase(Locale.ROOT);
        String name = null;
        if (lower.startsWith(bracketForm) && t.endsWith("]")) {
            name = t.substring(bracketForm.length(), t.length() - 1).trim();
            if (name.length() >= 2 && (name.charAt(0) == '"' || name.charAt(0) == '\'') && name.charAt(name.length() - 1) == name.charAt(0)) {
                name = name.substring(1, name.length() - 1);
            }
        } else if (lower.startsWith(shortForm)) {
            name = t.substring(shortForm.length()).trim();
        }
        if (name != null && name.isEmpty()) throw new IllegalArgumentException("rate-limit key characteristic '" + t + "' names no header, cookie or argument");
        return name;
    }

    /** Folds the client address in; IPv4 without allocating (its hashCode is the address). */
    static long mixAddress(long h, InetAddress a, boolean prefixOnly) {
        if (a == null) return KeyHash.mix(h, 0xdeadL);
        if (a instanceof Inet4Address) {
            int v4 = a.hashCode();
            return KeyHash.mix(h, 4L << 32 | ((prefixOnly ? v4 & 0xffffff00 : v4) & 0xffffffffL));
        }
        byte[] b = a.getAddress();
        return KeyHash.mix(h, b, 0, prefixOnly ? 8 : b.length);
    }

    record Address() implements KeyCharacteristic {
        public long mix(long h, RequestFacts r) { return mixAddress(KeyHash.mix(h, 1), r.clientAddress(), false); }
    }

    record Prefix() implements KeyCharacteristic {
        public long mix(long h, RequestFacts r) { return mixAddress(KeyHash.mix(h, 2), r.clientAddress(), true); }
    }

    record Path() implements KeyCharacteristic {
        public long mix(long h, RequestFacts r) { return KeyHash.mix(KeyHash.mix(h, 3), r.path()); }
    }

    record Host() implements KeyCharacteristic {
        public long mix(long h, RequestFacts r) { return KeyHash.mix(KeyHash.mix(h, 4), r.host()); }
    }

    record Method() implements KeyCharacteristic {
        public long mix(long h, RequestFacts r) { return KeyHash.mix(KeyHash.mix(h, 5), r.method()); }
    }

    record ClearanceId() implements KeyCharacteristic {
        public long mix(long h, RequestFacts r) { return KeyHash.mix(KeyHash.mix(h, 6), r.clearanceId()); }
    }

    record Header(String name) implements KeyCharacteristic {
        public long mix(long h, RequestFacts r) { return KeyHash.mix(KeyHash.mix(h, 7), r.header(name)); }
    }

    record Cookie(String name) implements KeyCharacteristic {
        public long mix(long h, RequestFacts r) {
            h = KeyHash.mix(h, 8);
            List<String> cookies = r.headers("cookie");
            for (int i = 0; i < cookies.size(); i++) {
                String c = cookies.get(i);
                int at = find(c, name, ';');
                if (at >= 0) {
                    int end = c.indexOf(';', at);
                    if (end < 0) end = c.length();
                    while (end > at && c.charAt(end - 1) == ' ') end--;
                    return KeyHash.mix(h, c, at, end);
                }
            }
            return KeyHash.mix(h, (CharSequence) null);
        }
    }

    record QueryArg(String name) implements KeyCharacteristic {
        public long mix(long h, RequestFacts r) {
            h = KeyHash.mix(h, 9);
            String q = r.query();
            int at = q == null ? -1 : find(q, name, '&');
            if (at < 0) return KeyHash.mix(h, (CharSequence) null);
            int end = q.indexOf('&', at);
            return KeyHash.mix(h, q, at, end < 0 ? q.length() : end);
        }
    }

    /**
     * Start of the value of {@code name=} in a list separated by {@code sep} (leading spaces
     * skipped), or -1. Scans in place: no split, no substring.
     */
    static int find(String s, String name, char sep) {
        int i = 0, n = s.length(), len = name.length();
        while (i < n) {
            while (i < n && s.charAt(i) == ' ') i++;
            if (s.regionMatches(i, name, 0, len) && i + len < n && s.charAt(i + len) == '=') return i + len + 1;
            if (s.regionMatches(i, name, 0, len) && i + len == n) return -1;
            int next = s.indexOf(sep, i);
            if (next < 0) return -1;
            i = next + 1;
        }
        return -1;
    }
}
