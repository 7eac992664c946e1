package dev.bulwark.control.trustsafety;

import dev.bulwark.control.store.StoreException;
import dev.bulwark.core.config.HostnameMap;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Enforcement follows the hostnames it was decided for, not only the zone id: a terminated,
 * restricted or URL-blocked site cannot be served again by putting its hostnames (or a wildcard
 * covering them) under another zone. The decision was about the site; its owner appeals, they
 * do not re-create it.
 *
 * <p>A pure check of one config change ({@code before} and {@code after}: zone id to hostnames)
 * against the actions in force; the store's guard runs it inside the change's transaction and a
 * refusal rolls the change back. It refuses, with a 409 naming the hostname, the action and the
 * zones:
 * <ul>
 *   <li>a zone other than the acted-on one that, after the change, covers a host of an enforced
 *       hostname which it did not cover before, or now wins it at routing (exact name first, then
 *       the longest wildcard, as the edge's {@link HostnameMap} routes) when it did not before;
 *       an overlap that already existed (a customer's own {@code *.example.com} zone) stays
 *       allowed while it changes nothing;</li>
 *   <li>a terminated zone deleted, or stripped of a hostname it was terminated for: the notice is
 *       the provider's word to that site's visitors and stays up until trust and safety restores
 *       the zone (a restricted or URL-blocked zone may go: nothing of it is served then).</li>
 * </ul>
 * A warning changes no service and binds no hostname. A hostname the decision did not cover
 * (a new subdomain, when the zone had no wildcard) needs a decision of its own.
 */
final class EnforcedHostnames {
    private EnforcedHostnames() {}

    /** Refuses (409) a change from {@code before} to {@code after} that breaks an applied action; lower-case hostnames. */
    static void check(List<EnforcementAction> applied, Map<String, List<String>> before,
                      Map<String, List<String>> after) {
        refusal(applied, before, after).ifPresent(reason -> { throw StoreException.conflict(reason); });
    }

    static Optional<String> refusal(List<EnforcementAction> applied, Map<String, List<String>> before,
                                    Map<String, List<String>> after) {
        HostnameMap<String> wonBefore = routing(before), wonAfter = routing(after);
        // most severe first, so the refusal names the action that matters most
        List<EnforcementAction> inForce = applied.stream().filter(a -> a.status() == EnforcementAction.Status.APPLIED && binds(a.type()))
                .sorted((x, y) -> Integer.compare(EnforcementState.severity(y.type()), EnforcementState.severity(x.type()))).toList();
        for (EnforcementAction a : inForce) {
            String zone = a.zoneId();
            for (String pattern : patterns(a, before)) {
                if (a.type() == ActionType.TERMINATE && has(before, zone, pattern) && !has(after, zone, pattern)) {
                    return Optional.of("hostname '" + pattern + "' is terminated by trust and safety (action " + a.id() + " on zone '"
                            + zone + "'): " + (after.containsKey(zone) ? "removing it from the zone" : "deleting the zone")
                            + " would take down the notice its visitors see; trust and safety must restore zone '" + zone
                            + "' (or an appeal reverse the action) first");
                }
                for (String host : probes(pattern, before, after)) {
                    for (Map.Entry<String, List<String>> z : after.entrySet()) {
                        String other = z.getKey();
                        if (other.equals(zone)) continue;
                        String by = covering(z.getValue(), host);
                        boolean newlyCovers = by != null && covering(before.getOrDefault(other, List.of()), host) == null;
                        boolean newlyWins = other.equals(wonAfter.find(host)) && !other.equals(wonBefore.find(host));
                        if (newlyCovers || newlyWins) return Optional.of(servedElsewhere(a, host, other, by));
                    }
                }
            }
        }
        return Optional.empty();
    }

    private static String servedElsewhere(EnforcementAction a, String host, String other, String by) {
        boolean many = host.startsWith("*.");
        String it = many ? "them" : "it";
        return (many ? "hostnames under '" + host + "' " + verb(a.type(), "are", "have") : "hostname '" + host + "' " + verb(a.type(), "is", "has"))
                + " by trust and safety (action " + a.id() + " on zone '" + a.zoneId() + "'): zone '" + other + "' cannot serve " + it
                + (by == null || by.equals(host) ? "" : " (its hostname '" + by + "' covers " + it + ")")
                + " until trust and safety restores zone '" + a.zoneId() + "' or an appeal reverses the action";
    }

    /** The hostnames an action binds: recorded when it applied, else (older rows) the zone's or the URLs' hosts. */
    static List<String> patterns(EnforcementAction a, Map<String, List<String>> before) {
        if (!a.hostnames().isEmpty()) return a.hostnames();
        if (a.type() == ActionType.BLOCK_URLS) return urlHosts(a.urls());
        return List.copyOf(before.getOrDefault(a.zoneId(), List.of()));
    }

    /** The hosts of blocked URLs (a trailing {@code *} marks a prefix), lower-case, each once. */
    static List<String> urlHosts(List<String> urls) {
        Set<String> hosts = new LinkedHashSet<>();
        for (String u : urls) {
            String host = ReportValidator.hostOf(u.endsWith("*") ? u.substring(0, u.length() - 1) : u);
            if (host != null) hosts.add(host);
        }
        return List.copyOf(hosts);
    }

    /** Whether the type changes how the site is served (and so binds its hostnames). */
    static boolean binds(ActionType t) { return t == ActionType.TERMINATE || t == ActionType.RESTRICT || t == ActionType.BLOCK_URLS; }

    /**
     * Hosts standing for everything {@code pattern} covers: the name itself for an exact one; for
     * {@code *.s} the host {@code *.s} (which only wildcards at or above {@code s} match) plus every
     * configured name below {@code s}, which may take part of it at routing.
     */
    private static List<String> probes(String pattern, Map<String, List<String>> before,
                                       Map<String, List<String>> after) {
        if (!pattern.startsWith("*.")) return List.of(pattern);
        Set<String> out = new LinkedHashSet<>();
        out.add(pattern);
        for (Map<String, List<String>> side : List.of(before, after)) {
            for (Collection<String> names : side.values()) {
                for (String n : names) if (HostnameMap.covers(pattern, n)) out.add(n);
            }
        }
        return new ArrayList<>(out);
    }

    private static String covering(Collection<String> names, String host) {
        for (String n : names) if (HostnameMap.covers(n, host)) return n;
        return null;
    }

    private static boolean has(Map<String, List<String>> zones, String zone, String pattern) {
        Collection<String> names = zones.get(zone);
        return names != null && names.contains(pattern.toLowerCase(Locale.ROOT));
    }

    private static HostnameMap<String> routing(Map<String, List<String>> zones) {
        HostnameMap.Builder<String> b = HostnameMap.builder();
        zones.forEach((id, names) -> names.forEach(n -> b.put(n, id)));
        return b.build();
    }

    private static String verb(ActionType t, String be, String have) {
        return switch (t) {
            case TERMINATE -> be + " terminated";
            case RESTRICT -> be + " restricted";
            case BLOCK_URLS, WARN, RESTORE -> have + " URLs blocked";
        };
    }
}
