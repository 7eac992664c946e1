package dev.bulwark.core.config;

import dev.bulwark.core.limit.KeyCharacteristic;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * Semantic checks of the rate-limit, connection-guard and DDoS settings, called by
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

    static void ddos(String p, DdosConfig d, BiConsumer<String, String> issue) {
        if (d.originMaxConcurrent() < 0) issue.accept(p + ".origin_max_concurrent", "must be 0 (unlimited) or more");
        if (d.originQueue() < 0) issue.accept(p + ".origin_queue", "must be 0 or more");
        if (d.action() == RateLimitRuleConfig.Action.TARPIT) issue.accept(p + ".action", "attack mitigation supports block, challenge or log");
    }

    private static void atLeastOne(String path, int v, BiConsumer<String, String> issue) {
        if (v < 1) issue.accept(path, "must be at least 1");
    }

    private static void positive(String path, Duration d, BiConsumer<String, String> issue) {
        if (d == null || d.isNegative() || d.isZero()) issue.accept(path, "must be greater than zero");
    }
}
