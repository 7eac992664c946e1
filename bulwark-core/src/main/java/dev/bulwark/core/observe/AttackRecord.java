package dev.bulwark.core.observe;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An attack event as plain data: what the edge reports through {@link AttackRecorder}, what the
 * control plane stores, and what every listing prints. {@link #toJson()} is the one JSON shape of
 * an attack event, used by the control-plane API and by the node's own admin listener alike.
 *
 * @param endMillis 0 while the attack goes on
 * @param signature the signature as a firewall-style expression ("(no separating field)" when empty)
 * @param action    what the temporary rule does ({@code block}, {@code challenge}, ...), or null when nothing is enforced
 */
public record AttackRecord(String id, String zone, long startMillis, long endMillis, double peakRate, double baselineRate,
                           double peakSources, double baselineSources, String signature, List<String> sourcePrefixes,
                           List<String> paths, List<String> methods, List<String> userAgents, String action) {
    public AttackRecord {
        sourcePrefixes = sourcePrefixes == null ? List.of() : List.copyOf(sourcePrefixes);
        paths = paths == null ? List.of() : List.copyOf(paths);
        methods = methods == null ? List.of() : List.copyOf(methods);
        userAgents = userAgents == null ? List.of() : List.copyOf(userAgents);
    }

    public boolean ongoing() { return endMillis == 0; }

    /** snake_case keys, times in epoch milliseconds, rates in requests per second (rounded to 0.1). */
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("zone", zone);
        m.put("ongoing", ongoing());
        m.put("started_at", startMillis);
        m.put("ended_at", ongoing() ? null : endMillis);
        m.put("peak_rate", round(peakRate));
        m.put("baseline_rate", round(baselineRate));
        m.put("peak_sources", round(peakSources));
        m.put("baseline_sources", round(baselineSources));
        Map<String, Object> sig = new LinkedHashMap<>();
        sig.put("expression", signature);
        sig.put("source_prefixes", sourcePrefixes);
        sig.put("paths", paths);
        sig.put("methods", methods);
        sig.put("user_agents", userAgents);
        m.put("signature", sig);
        m.put("action", action);
        return m;
    }

    private static double round(double v) { return Math.round(v * 10) / 10.0; }
}
