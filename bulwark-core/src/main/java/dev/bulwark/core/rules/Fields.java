package dev.bulwark.core.rules;

import dev.bulwark.core.request.RequestFacts;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * The fields a rule may read, their types and how each is read from {@link RequestFacts}.
 * Plain fields are single lambdas that return what the request already holds, so reading
 * them allocates nothing. Keyed fields ({@code http.request.headers["x"]}) bind their key at
 * compile time. Absent values read as "" (strings), 0 (ints) or false (bools).
 */
final class Fields {
    /** A field: its type, and either a plain reader or a factory taking the key. */
    record Def(String name, Type type, Object reader, Function<String, Object> keyed, String doc) {
        boolean isKeyed() { return keyed != null; }
    }

    private static final Map<String, Def> FIELDS = new LinkedHashMap<>();

    static {
        ip("ip.src", RequestFacts::clientAddress, "client address (after trusted proxies)");
        str("http.host", r -> nz(r.host()), "Host without port, lower-case");
        str("http.request.method", r -> nz(r.method()), "method as sent, e.g. GET");
        str("http.request.uri", r -> nz(r.uri()), "path and query as sent");
        str("http.request.uri.path", r -> nz(r.path()), "path as sent, not decoded");
        str("http.request.uri.path.extension", r -> extension(nz(r.path())), "lower-case extension of the last path segment, without '.'");
        str("http.request.uri.query", r -> nz(r.query()), "query without '?', not decoded");
        keyed("http.request.uri.args", key -> (Eval.Str) r -> Requests.queryArg(nz(r.query()), key),
                "first value of a query argument, percent-decoded");
        keyed("http.request.headers", key -> (Eval.Str) r -> nz(r.header(key)), "first value of a header (name case-insensitive)");
        keyed("http.request.cookies", key -> (Eval.Str) r -> Requests.cookie(r, key), "value of a cookie");
        str("http.cookie", Requests::cookieHeader, "the Cookie header (several joined with '; ')");
        str("http.user_agent", r -> nz(r.header("user-agent")), "User-Agent header");
        str("http.referer", r -> nz(r.header("referer")), "Referer header");
        str("http.x_forwarded_for", r -> nz(r.header("x-forwarded-for")), "X-Forwarded-For header");
        str("http.request.version", r -> nz(r.httpVersion()), "HTTP/1.0, HTTP/1.1 or HTTP/2");
        bool("ssl", RequestFacts::tls, "true when the client connection is TLS");
        str("bulwark.zone.id", r -> nz(r.zoneId()), "id of the zone");
        bool("bulwark.zone.under_attack", RequestFacts::zoneUnderAttack, "zone is in under-attack mode");
        num("bulwark.clearance.level", r -> r.clearanceLevel(), "clearance level held (0 = none)");
        str("bulwark.clearance.id", r -> nz(r.clearanceId()), "clearance id, \"\" without clearance");
    }

    private Fields() {}

    static Def find(String name) { return FIELDS.get(name); }

    static Map<String, Def> all() { return Collections.unmodifiableMap(FIELDS); }

    /** The known field closest to a misspelt one, or null when none is close. */
    static String suggest(String name) {
        String best = null;
        int bestDistance = Math.max(2, name.length() / 4) + 1;
        for (String f : FIELDS.keySet()) {
            int d = distance(name, f);
            if (d < bestDistance) {
                bestDistance = d;
                best = f;
            }
        }
        return best;
    }

    static List<String> names() { return List.copyOf(FIELDS.keySet()); }

    static String nz(String s) { return s == null ? "" : s; }

    private static String extension(String path) {
        int slash = path.lastIndexOf('/');
        int dot = path.lastIndexOf('.');
        if (dot <= slash || dot == path.length() - 1) return "";
        return path.substring(dot + 1).toLowerCase(Locale.ROOT);
    }

    private static void str(String n, Eval.Str r, String doc) { FIELDS.put(n, new Def(n, Type.STRING, r, null, doc)); }

    private static void num(String n, Eval.Num r, String doc) { FIELDS.put(n, new Def(n, Type.INT, r, null, doc)); }

    private static void bool(String n, Eval.Cond r, String doc) { FIELDS.put(n, new Def(n, Type.BOOL, r, null, doc)); }

    private static void ip(String n, Eval.Ip r, String doc) { FIELDS.put(n, new Def(n, Type.IP, r, null, doc)); }

    private static void keyed(String n, Function<String, Object> f, String doc) { FIELDS.put(n, new Def(n, Type.STRING, null, f, doc)); }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1], cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) prev[j] = j;
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
