package dev.bulwark.core.limit;

import dev.bulwark.core.config.RateLimitRuleConfig;

/**
 * What the rate-limit phase does with a request, and which rule said so (for the access log,
 * metrics and the 429 page).
 *
 * @param outcome           what to do
 * @param ruleId            the rule that tripped, or null for {@link Outcome#ALLOW}
 * @param retryAfterSeconds for BLOCK/TARPIT/CLOSE/CHALLENGE/LOG: seconds until the key's ban ends (the Retry-After value)
 * @param shadowAction      for {@link Outcome#LOG}: the action the rule would have taken if it enforced
 */
public record RateLimitDecision(Outcome outcome, String ruleId, int retryAfterSeconds, RateLimitRuleConfig.Action shadowAction) {
    public enum Outcome {
        /** No rule tripped. */
        ALLOW,
        /** Answer 429 with Retry-After. */
        BLOCK,
        /** Send the proof-of-work challenge unless the visitor clears it. */
        CHALLENGE,
        /** Delay, then answer 429: costs the client a connection slot and time. */
        TARPIT,
        /** Answer 429 with Retry-After, then close the client's connection (its other requests go elsewhere). */
        CLOSE,
        /** A rule in log mode (or with action log) tripped: count and log, serve normally. */
        LOG
    }

    public static final RateLimitDecision ALLOW = new RateLimitDecision(Outcome.ALLOW, null, 0, null);

    /** True when the request must not be forwarded as is. */
    public boolean enforced() { return outcome != Outcome.ALLOW && outcome != Outcome.LOG; }
}
