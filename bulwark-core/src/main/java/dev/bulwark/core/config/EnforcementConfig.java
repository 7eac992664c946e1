package dev.bulwark.core.config;

import java.net.URI;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;

/**
 * What trust and safety has decided about a zone, as the edge needs to know it. Written by
 * the control plane's enforcement workflow into the zone's config (never typed by hand in
 * normal operation), so it reaches every edge with the next snapshot.
 *
 * <ul>
 *   <li>{@code status}: active (default), warned (owner told, service unchanged), restricted
 *       (the control plane also turns on the zone's under-attack challenge; {@code cache} is false),
 *       terminated (the edge answers every request with the notice page).</li>
 *   <li>{@code reason}, {@code legal}, {@code statementUrl}, {@code since}: what the notice page
 *       shows; {@code legal} selects 451 instead of 403.</li>
 *   <li>{@code blockedUrls}: paths answered with the notice while the rest of the zone is served.</li>
 *   <li>{@code reportUrl}: the control plane's public abuse form; {@code /.well-known/bulwark/abuse}
 *       on the zone redirects there.</li>
 *   <li>{@code appealUrl} (here and on each blocked URL): the control plane's public appeal form of
 *       the decision shown, which the notice page offers the site owner; null when the control
 *       plane's public address is unknown (no link).</li>
 * </ul>
 */
public record EnforcementConfig(Status status, String reason, Boolean legal, String statementUrl, String since,
                                List<BlockedUrl> blockedUrls, String reportUrl, String appealUrl) {
    public enum Status { ACTIVE, WARNED, RESTRICTED, TERMINATED }

    /**
     * One blocked URL of a zone: {@code path} matches exactly, or as a prefix when it ends in {@code *}.
     */
    public record BlockedUrl(String path, String reason, Boolean legal, String statementUrl, String since, String appealUrl) {
        public BlockedUrl {
            if (path == null || !path.startsWith("/")) throw new IllegalArgumentException("a blocked url path must start with '/' (got '" + path + "')");
            if (reason == null || reason.isBlank()) throw new IllegalArgumentException("a blocked url needs a reason");
            legal = legal != null && legal;
            checkUrl(statementUrl, "statement_url");
            checkUrl(appealUrl, "appeal_url");
            checkInstant(since);
        }

        public boolean matches(String requestPath) {
            return path.endsWith("*") ? requestPath.startsWith(path.substring(0, path.length() - 1)) : requestPath.equals(path);
        }
    }

    public EnforcementConfig {
        status = status == null ? Status.ACTIVE : status;
        legal = legal != null && legal;
        blockedUrls = blockedUrls == null ? List.of() : List.copyOf(blockedUrls);
        if (status == Status.TERMINATED && (reason == null || reason.isBlank())) {
            throw new IllegalArgumentException("a terminated zone needs a reason");
        }
        checkUrl(statementUrl, "statement_url");
        checkUrl(reportUrl, "report_url");
        checkUrl(appealUrl, "appeal_url");
        checkInstant(since);
    }

    public static EnforcementConfig none() { return new EnforcementConfig(null, null, null, null, null, null, null, null); }

    /** This enforcement with {@code url} as its abuse form. */
    public EnforcementConfig withReportUrl(String url) {
        return new EnforcementConfig(status, reason, legal, statementUrl, since, blockedUrls, url, appealUrl);
    }

    public boolean terminated() { return status == Status.TERMINATED; }

    /** Restricted zones are not cached: the forced challenge must see every request. */
    public boolean cache() { return status != Status.RESTRICTED && status != Status.TERMINATED; }

    /** The blocked URL entry matching {@code path}, or null. */
    public BlockedUrl blocked(String path) {
        for (BlockedUrl b : blockedUrls) if (b.matches(path)) return b;
        return null;
    }

    private static void checkUrl(String url, String field) {
        if (url == null) return;
        try {
            URI u = new URI(url);
            if (!"https".equals(u.getScheme()) && !"http".equals(u.getScheme()) || u.getHost() == null) {
                throw new IllegalArgumentException(field + " must be an absolute http(s) URL (got '" + url + "')");
            }
        } catch (java.net.URISyntaxException e) {
            throw new IllegalArgumentException(field + " is not a URL: " + e.getMessage());
        }
    }

    private static void checkInstant(String since) {
        if (since == null) return;
        try {
            Instant.parse(since);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("since must be an ISO-8601 instant such as 2026-11-23T18:00:00Z (got '" + since + "')");
        }
    }
}
