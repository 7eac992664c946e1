package dev.bulwark.edge.zone;

import dev.bulwark.core.config.HostnameMap;

import java.util.List;
import java.util.Locale;

/** Host -> zone lookup for one config snapshot; immutable, shared by every event loop. */
public final class ZoneTable {
    private final HostnameMap<Zone> byHost;
    private final List<Zone> zones;

    public ZoneTable(List<Zone> zones) {
        this.zones = List.copyOf(zones);
        HostnameMap.Builder<Zone> b = HostnameMap.builder();
        for (Zone z : zones) for (String h : z.config().hostnames()) b.put(h, z);
        this.byHost = b.build();
    }

    public List<Zone> zones() { return zones; }

    /** The zone serving {@code host} (normalised with {@link #normalizeHost}), or null. */
    public Zone find(String host) { return byHost.find(host); }

    /**
     * Normalises a Host header or :authority: drops the port and a trailing dot, lower-cases.
     * Returns null when the value is not a plausible host name or address (so it routes nowhere).
     */
    public static String normalizeHost(String raw) {
        if (raw == null) return null;
        String h = raw.trim();
        if (h.isEmpty()) return null;
        if (h.charAt(0) == '[') { // IPv6 literal
            int end = h.indexOf(']');
            return end < 0 ? null : h.substring(0, end + 1).toLowerCase(Locale.ROOT);
        }
        int colon = h.indexOf(':');
        if (colon >= 0) h = h.substring(0, colon);
        if (h.endsWith(".")) h = h.substring(0, h.length() - 1);
        for (int i = 0; i < h.length(); i++) {
            char c = h.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '.' || c == '_')) return null;
        }
        return h.isEmpty() ? null : h.toLowerCase(Locale.ROOT);
    }
}
