package dev.bulwark.control.api;

import dev.bulwark.core.config.FirewallRuleConfig;
import dev.bulwark.core.config.RateLimitRuleConfig;
import dev.bulwark.core.config.ZoneConfig;

import java.util.List;

/** The two kinds of zone rules: their URL segment, their section in a zone document, their name in messages. */
public enum RuleKind {
    FIREWALL("firewall-rules", "firewall", "firewall rule"),
    RATE_LIMIT("rate-limit-rules", "rate_limits", "rate-limit rule");

    final String segment, section, noun;

    RuleKind(String segment, String section, String noun) {
        this.segment = segment;
        this.section = section;
        this.noun = noun;
    }

    List<?> rules(ZoneConfig z) { return this == FIREWALL ? z.firewall() : z.rateLimits(); }

    static String idOf(Object rule) {
        return rule instanceof FirewallRuleConfig f ? f.id() : ((RateLimitRuleConfig) rule).id();
    }

    /** The audit action prefix: {@code firewall}, {@code rate-limits}. */
    String action() { return section.replace("_", "-"); }
}
