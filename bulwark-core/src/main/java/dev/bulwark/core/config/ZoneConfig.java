package dev.bulwark.core.config;

import java.util.List;
import java.util.Map;

/**
 * One customer site: the hostnames it answers (exact or {@code *.example.com}), its
 * origin pool, its certificate, timeouts and request limits, and the security policy
 * the edge applies in front of it (firewall rules, rate limits, challenge settings), and the
 * trust-and-safety enforcement on it (notice page when terminated or for blocked URLs).
 */
public record ZoneConfig(String id, List<String> hostnames, CertificateConfig tls, OriginPoolConfig origins,
                         ZoneTimeouts timeouts, ZoneLimits limits,
                         List<FirewallRuleConfig> firewall, Map<String, List<String>> lists,
                         List<RateLimitRuleConfig> rateLimits, ChallengeConfig challenge, DdosConfig ddos,
                         EnforcementConfig enforcement) {
    public ZoneConfig {
        hostnames = hostnames == null ? List.of() : List.copyOf(hostnames);
        timeouts = timeouts == null ? ZoneTimeouts.defaults() : timeouts;
        limits = limits == null ? ZoneLimits.defaults() : limits;
        firewall = firewall == null ? List.of() : List.copyOf(firewall);
        lists = lists == null ? Map.of() : Map.copyOf(lists);
        rateLimits = rateLimits == null ? List.of() : List.copyOf(rateLimits);
        challenge = challenge == null ? ChallengeConfig.defaults() : challenge;
        ddos = ddos == null ? DdosConfig.defaults() : ddos;
        enforcement = enforcement == null ? EnforcementConfig.none() : enforcement;
    }

    /** A zone without trust-and-safety enforcement (status active). */
    public ZoneConfig(String id, List<String> hostnames, CertificateConfig tls, OriginPoolConfig origins,
                      ZoneTimeouts timeouts, ZoneLimits limits,
                      List<FirewallRuleConfig> firewall, Map<String, List<String>> lists,
                      List<RateLimitRuleConfig> rateLimits, ChallengeConfig challenge, DdosConfig ddos) {
        this(id, hostnames, tls, origins, timeouts, limits, firewall, lists, rateLimits, challenge, ddos, null);
    }

    /** This zone with {@code e} as its enforcement. */
    public ZoneConfig withEnforcement(EnforcementConfig e) {
        return new ZoneConfig(id, hostnames, tls, origins, timeouts, limits, firewall, lists, rateLimits, challenge, ddos, e);
    }

    /** A zone with only routing settings; security settings take their defaults. */
    public static ZoneConfig of(String id, List<String> hostnames, OriginPoolConfig origins) {
        return new ZoneConfig(id, hostnames, null, origins, null, null, null, null, null, null, null);
    }
}
