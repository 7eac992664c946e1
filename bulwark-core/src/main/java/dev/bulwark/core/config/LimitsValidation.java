package dev.bulwark.core.config;

import dev.bulwark.core.limit.KeyCharacteristic;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * Semantic checks of the rate-limit, connection-guard, slow-client and DDoS settings, called by
 * {@link ConfigValidator} so that a bad rule is reported at its file position before the edge
 * compiles it. Expressions are checked later by the rules compiler.
 */
final class LimitsValidation {
    private LimitsValidation() {}

    static void rateLimits(String path, List<RateLimitRuleConfig> rules, BiConsumer<String, String> issue) {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < rules.size(); i++) {
            String p = path + "[" + i + "]";
            RateLimitRuleConfig r = rules.get(i);
            if (r.id() != null && !ids.add(r.id())) issue.accept(p + ".id", "duplicate rate limit rule id '" + r.id() + "'");
            if (r.requests() == null) issue.accept(p + ".requests", "requests (the limit per period) is required");
            else if (r.requests() < 1) issue.accept(p + ".requests", "must be at least 1");
            positive(p + ".period", r.period(), issue);
            if (r.mitigationTimeout().isNegative()) issue.accept(p + ".mitigation_timeout", "must not be negative");
            for (int k = 0; k < r.key().size(); k++) {
                try {
                    KeyCharacteristic.parse(r.key().get(k));
                } catch (IllegalArgumentException e) {
                    issue.accept(p + ".key[" + k + "]", e.getMessage());
                }
            }
        }
    }

    static void guard(String p, GuardConfig g, BiConsumer<String, String> issue) {
        atLeastOne(p + ".max_connections_per_address", g.maxConnectionsPerAddress(), issue);
        atLeastOne(p + ".max_connections_per_prefix", g.maxConnectionsPerPrefix(), issue);
        atLeastOne(p + ".new_connections_per_second_per_address", g.newConnectionsPerSecondPerAddress(), issue);
        atLeastOne(p + ".new_connections_per_second_per_prefix", g.newConnectionsPerSecondPerPrefix(), issue);
        atLeastOne(p + ".max_connections", g.maxConnections(), issue);
        if (g.maxConnectionsPerAddress() > g.maxConnectionsPerPrefix()) {
            issue.accept(p + ".max_connections_per_prefix", "must not be below max_connections_per_address");
        }
        positive(p + ".ban_duration", g.banDuration(), issue);
    }

    /** Body rate, write deadline, outbound buffer and HTTP/2 flood thresholds of {@code edge.http}. */
    static void slowClients(String p, HttpLimits h, BiConsumer<String, String> issue) {
        if (h.minBodyRate() < 0) issue.accept(p + ".min_body_rate", "must be 0 (off) or more");
        if (h.bodyGrace().isNegative()) issue.accept(p + ".body_grace", "must not be negative");
        if (h.bodyRateWindow().compareTo(Duration.ofSeconds(1)) < 0 || h.bodyRateWindow().compareTo(Duration.ofSeconds(60)) > 0) {
            issue.accept(p + ".body_rate_window", "must be between 1s and 60s");
        }
        if (h.bodyTimeout().isNegative()) issue.accept(p + ".body_timeout", "must be 0 (no ceiling) or more");
        positive(p + ".write_timeout", h.writeTimeout(), issue);
        if (h.maxOutboundBuffer() < 8 * 1024) issue.accept(p + ".max_outbound_buffer", "must be at least 8KiB");
        Http2AbuseLimits a = h.h2Abuse();
        String ap = p + ".h2_abuse";
        Duration w = a.window();
        if (w.compareTo(Duration.ofSeconds(1)) < 0 || w.toMillis() % 1000 != 0 || w.compareTo(Duration.ofMinutes(5)) > 0) {
            issue.accept(ap + ".window", "must be whole seconds between 1s and 5m");
        }
        atLeastOne(ap + ".max_resets", a.maxResets(), issue);
        atLeastOne(ap + ".max_settings", a.maxSettings(), issue);
        atLeastOne(ap + ".max_pings", a.maxPings(), issue);
        atLeastOne(ap + ".max_window_updates", a.maxWindowUpdates(), issue);
        atLeastOne(ap + ".max_priority_frames", a.maxPriorityFrames(), issue);
        atLeastOne(ap + ".max_empty_frames", a.maxEmptyFrames(), issue);
        atLeastOne(ap + ".max_continuation_frames", a.maxContinuationFrames(), issue);
    }

    static void ddos(String p, DdosConfig d, BiConsumer<String, String> issue) {
        if (d.originMaxConcurrent() < 0) issue.accept(p + ".origin_max_concurrent", "must be 0 (unlimited) or more");
        if (d.originQueue() < 0) issue.accept(p + ".origin_queue", "must be 0 or more");
        // close: a signature may match up to half of a zone's normal traffic, and closing a browser's
        // HTTP/2 connection would cut its other requests; a rate-limit key is exactly the one over its limit
        if (d.action() == RateLimitRuleConfig.Action.TARPIT || d.action() == RateLimitRuleConfig.Action.CLOSE) {
            issue.accept(p + ".action", "attack mitigation supports block, challenge or log");
        }
    }

    private static void atLeastOne(String path, int v, BiConsumer<String, String> issue) {
        if (v < 1) issue.accept(path, "must be at least 1");
    }

    private static void positive(String path, Duration d, BiConsumer<String, String> issue) {
        if (d == null || d.isNegative() || d.isZero()) issue.accept(path, "must be greater than zero");
    }
}
