package dev.bulwark.core.ddos;

import dev.bulwark.core.config.RateLimitRuleConfig;
import dev.bulwark.core.limit.RequestMatcher;
import dev.bulwark.core.request.RequestFacts;

/**
 * The temporary rule an {@link AttackDetector} installs while an attack lasts: requests
 * matching the signature get the action (block or challenge). It disappears when the event
 * ends; the firewall phase asks {@link AttackDetector#activeRule()} on each request.
 */
public record MitigationRule(String eventId, Signature signature, RateLimitRuleConfig.Action action) implements RequestMatcher {
    @Override
    public boolean matches(RequestFacts request) {
        if (action == RateLimitRuleConfig.Action.CHALLENGE && request.clearanceLevel() > 0) return false;
        return signature.matches(request);
    }
}
