package dev.bulwark.core.config;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Immutable hostname -> value map understanding {@code *.example.com} wildcards. Exact names
 * live in one hash map and wildcards in a second one keyed by their suffix, tried from the
 * longest suffix down: a lookup costs a few hash probes and no regex. An exact name wins over
 * a wildcard; {@code *.example.com} does not match {@code example.com} itself. A lone {@code *}
 * is the catch-all: it answers every host no exact name or wildcard claims (a request with no
 * valid host still matches nothing).
 *
 * <p>The edge routes requests and picks certificates with it; the control plane uses the same
 * rules to tell which zone would serve a hostname that trust and safety acted on.
 */
public final class HostnameMap<V> {
    private final Map<String, V> exact;
    private final Map<String, V> wildcard;
    private final V any;

    private HostnameMap(Map<String, V> exact, Map<String, V> wildcard, V any) {
        this.exact = Map.copyOf(exact);
        this.wildcard = Map.copyOf(wildcard);
        this.any = any;
    }

    public static <V> Builder<V> builder() { return new Builder<>(); }

    /** The value for {@code host} (lower-case, no port), or null. */
    public V find(String host) {
        if (host == null || host.isEmpty()) return null; // no host, or one that failed normalisation: never the catch-all
        V v = exact.get(host);
        if (v != null) return v;
        if (wildcard.isEmpty()) return any;
        int dot = host.indexOf('.');
        while (dot >= 0 && dot < host.length() - 1) {
            v = wildcard.get(host.substring(dot + 1));
            if (v != null) return v;
            dot = host.indexOf('.', dot + 1);
        }
        return any;
    }

    /**
     * Whether the config hostname {@code pattern} (exact, or {@code *.suffix}) matches {@code host}
     * (lower-case), as {@link #find} would match it were it the only name.
     */
    public static boolean covers(String pattern, String host) {
        String p = pattern.toLowerCase(Locale.ROOT);
        if (p.equals("*")) return !host.isEmpty(); // the catch-all
        return p.startsWith("*.") ? host.endsWith(p.substring(1)) && host.length() > p.length() - 1 : host.equals(p);
    }

    public static final class Builder<V> {
        private final Map<String, V> exact = new HashMap<>();
        private final Map<String, V> wildcard = new HashMap<>();
        private V any;

        /** Adds a name; the first value given for a name is kept. */
        public Builder<V> put(String hostname, V value) {
            String name = hostname.toLowerCase(Locale.ROOT);
            if (name.equals("*")) {
                if (any == null) any = value;
            } else if (name.startsWith("*.")) wildcard.putIfAbsent(name.substring(2), value);
            else exact.putIfAbsent(name, value);
            return this;
        }

        public HostnameMap<V> build() { return new HostnameMap<>(exact, wildcard, any); }
    }
}
