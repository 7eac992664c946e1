package dev.bulwark.core.config;

import java.time.Duration;
import java.util.List;

/**
 * A rate-limit rule of a zone: requests matching {@code expression} (all when absent) are
 * counted per key (the characteristics listed in {@code key}, e.g. {@code ip.src},
 * {@code ip.prefix}, {@code http.request.headers["x-api-key"]}) over a sliding
 * {@code period}; above {@code requests} the key is mitigated with {@code action} for
 * {@code mitigationTimeout}. {@code close} answers like {@code block} and then ends the
 * client's connection (HTTP/2: a graceful GOAWAY), so a flooder cannot keep reusing one
 * kept-alive connection and must reconnect past the connection guard.
 */
public record RateLimitRuleConfig(String id, String description, String expression, List<String> key,
                                  Duration period, Long requests, Action action, Duration mitigationTimeout,
                                  FirewallRuleConfig.Mode mode) {
    public enum Action { BLOCK, CHALLENGE, LOG, TARPIT, CLOSE }

    public RateLimitRuleConfig {
        key = key == null || key.isEmpty() ? List.of("ip.src") : List.copyOf(key);
        period = period == null ? Duration.ofMinutes(1) : period;
        action = action == null ? Action.BLOCK : action;
        mitigationTimeout = mitigationTimeout == null ? period : mitigationTimeout;
        mode = mode == null ? FirewallRuleConfig.Mode.ENFORCE : mode;
    }
}
