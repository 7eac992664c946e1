package dev.bulwark.control.trustsafety;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Orders open reports for the people who handle them. Reports about the same zone and URL form
 * one group (ten reports of one post are one piece of work); groups are ordered by the most
 * severe category they hold (threats to life first), then by the number of reports, then by
 * the oldest report (longest waiting first). Pure: no clock, no store.
 */
public final class TriageQueue {
    /** One unit of work: a zone and URL, the reports about it, its most severe category. */
    public record Group(String zoneId, String url, Category severest, List<AbuseReport> reports, long oldest, long newest) {}

    private TriageQueue() {}

    public static List<Group> order(List<AbuseReport> reports) {
        Map<String, List<AbuseReport>> byKey = new LinkedHashMap<>();
        for (AbuseReport r : reports) {
            if (!r.status().open()) continue;
            for (String url : r.urls()) byKey.computeIfAbsent(r.zoneId() + "\n" + normalise(url), k -> new ArrayList<>()).add(r);
        }
        List<Group> groups = new ArrayList<>();
        for (Map.Entry<String, List<AbuseReport>> e : byKey.entrySet()) {
            List<AbuseReport> rs = new ArrayList<>(e.getValue());
            rs.sort(Comparator.comparingInt((AbuseReport r) -> r.category().rank()).thenComparingLong(AbuseReport::receivedAt));
            String[] key = e.getKey().split("\n", 2);
            long oldest = rs.stream().mapToLong(AbuseReport::receivedAt).min().orElse(0);
            long newest = rs.stream().mapToLong(AbuseReport::receivedAt).max().orElse(0);
            groups.add(new Group(key[0], key[1], rs.get(0).category(), List.copyOf(rs), oldest, newest));
        }
        groups.sort(Comparator.comparingInt((Group g) -> g.severest().rank())
                .thenComparing(Comparator.comparingInt((Group g) -> g.reports().size()).reversed())
                .thenComparingLong(Group::oldest)
                .thenComparing(Group::url));
        return groups;
    }

    /** Same page, same group: lower-case scheme and host, no fragment, no trailing slash. */
    static String normalise(String url) {
        try {
            java.net.URI u = new java.net.URI(url);
            String path = u.getRawPath() == null || u.getRawPath().isEmpty() ? "/" : u.getRawPath();
            if (path.length() > 1 && path.endsWith("/")) path = path.substring(0, path.length() - 1);
            String host = u.getHost() == null ? "" : u.getHost().toLowerCase(java.util.Locale.ROOT);
            String port = u.getPort() < 0 ? "" : ":" + u.getPort();
            return u.getScheme().toLowerCase(java.util.Locale.ROOT) + "://" + host + port + path + (u.getRawQuery() == null ? "" : "?" + u.getRawQuery());
        } catch (java.net.URISyntaxException | NullPointerException e) {
            return url;
        }
    }
}
