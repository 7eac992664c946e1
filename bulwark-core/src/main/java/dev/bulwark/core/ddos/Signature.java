package dev.bulwark.core.ddos;

import dev.bulwark.core.limit.KeyHash;
import dev.bulwark.core.limit.RequestMatcher;
import dev.bulwark.core.request.RequestFacts;

import java.util.ArrayList;
import java.util.List;

/**
 * The shape of an attack's requests: for each field that separates attack from normal traffic
 * (source network, path, method, user agent) the few values the attack uses; fields that do not
 * separate are left out (for example the source when the flood comes from everywhere). A request
 * matches when every kept field holds one of its values. An empty signature matches nothing.
 *
 * <p>Matching hashes the request's fields once and compares against small arrays — no
 * allocation for IPv4 clients — so the temporary rule can run on every request.
 */
public final class Signature implements RequestMatcher {
    private static final long SEED = KeyHash.mix(KeyHash.seed(), 0x51_6e_61_74L);

    private final long[] sources, paths, methods, agents;
    private final List<String> sourceLabels, pathLabels, methodLabels, agentLabels;

    Signature(long[] sources, List<String> sourceLabels, long[] paths, List<String> pathLabels,
              long[] methods, List<String> methodLabels, long[] agents, List<String> agentLabels) {
        this.sources = sources;
        this.paths = paths;
        this.methods = methods;
        this.agents = agents;
        this.sourceLabels = sourceLabels == null ? List.of() : List.copyOf(sourceLabels);
        this.pathLabels = pathLabels == null ? List.of() : List.copyOf(pathLabels);
        this.methodLabels = methodLabels == null ? List.of() : List.copyOf(methodLabels);
        this.agentLabels = agentLabels == null ? List.of() : List.copyOf(agentLabels);
    }

    static final Signature EMPTY = new Signature(null, null, null, null, null, null, null, null);

    /** Hash of a field value as samples and signatures store it. */
    static long hash(String s) { return KeyHash.finish(KeyHash.mix(SEED, s)); }

    /** True when no field separates the attack: there is nothing to match on. */
    public boolean isEmpty() { return sources == null && paths == null && methods == null && agents == null; }

    /** Source networks kept ("203.0.113.0/24"); empty when the source was dropped. */
    public List<String> sourcePrefixes() { return sourceLabels; }

    public List<String> paths() { return pathLabels; }

    public List<String> methods() { return methodLabels; }

    public List<String> userAgents() { return agentLabels; }

    @Override
    public boolean matches(RequestFacts r) {
        if (isEmpty()) return false;
        if (sources != null && !contains(sources, TrafficSampler.sourceKey(r.clientAddress()))) return false;
        if (paths != null && !contains(paths, hash(r.path()))) return false;
        if (methods != null && !contains(methods, hash(r.method()))) return false;
        return agents == null || contains(agents, hash(r.header("user-agent")));
    }

    boolean matches(TrafficSampler.Samples s, int i) {
        if (isEmpty()) return false;
        if (sources != null && !contains(sources, s.source[i])) return false;
        if (paths != null && !contains(paths, s.pathHash[i])) return false;
        if (methods != null && !contains(methods, s.methodHash[i])) return false;
        return agents == null || contains(agents, s.agentHash[i]);
    }

    private static boolean contains(long[] values, long v) {
        for (long x : values) if (x == v) return true;
        return false;
    }

    /** A firewall-style description, for logs and the admin API. */
    @Override
    public String toString() {
        if (isEmpty()) return "(no separating field)";
        List<String> parts = new ArrayList<>();
        if (sources != null) parts.add(clause("ip.prefix", sourceLabels));
        if (paths != null) parts.add(clause("http.request.uri.path", pathLabels));
        if (methods != null) parts.add(clause("http.request.method", methodLabels));
        if (agents != null) parts.add(clause("http.user_agent", agentLabels));
        return String.join(" and ", parts);
    }

    private static String clause(String field, List<String> values) {
        List<String> quoted = new ArrayList<>();
        for (String v : values) quoted.add(field.equals("ip.prefix") ? v : '"' + (v == null ? "" : v.replace("\"", "\\\"")) + '"');
        return field + " in {" + String.join(" ", quoted) + "}";
    }

    /** Renders a source key (see {@link TrafficSampler#sourceKey}) as a CIDR network. */
    static String sourceLabel(long key) {
        if (key >>> 32 == 4) {
            return ((key >>> 24) & 0xff) + "." + ((key >>> 16) & 0xff) + "." + ((key >>> 8) & 0xff) + ".0/24";
        }
        StringBuilder b = new StringBuilder();
        for (int g = 3; g >= 0; g--) {
            b.append(Long.toHexString((key >>> (g * 16)) & 0xffff));
            b.append(':');
        }
        return b.append(":/64").toString();
    }
}
