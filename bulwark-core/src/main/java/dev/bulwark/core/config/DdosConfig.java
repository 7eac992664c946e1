package dev.bulwark.core.config;

/**
 * Automatic attack mitigation of a zone: whether the detector may install temporary rules,
 * how sensitive it is, what its rules do, whether it may switch on "under attack" mode,
 * and the origin-protection cap on concurrent origin requests with its queue.
 */
public record DdosConfig(Boolean autoMitigate, Sensitivity sensitivity, RateLimitRuleConfig.Action action,
                         Boolean autoUnderAttack, Integer originMaxConcurrent, Integer originQueue) {
    public enum Sensitivity { LOW, MEDIUM, HIGH }

    public DdosConfig {
        autoMitigate = autoMitigate == null || autoMitigate;
        sensitivity = sensitivity == null ? Sensitivity.MEDIUM : sensitivity;
        action = action == null ? RateLimitRuleConfig.Action.BLOCK : action;
        autoUnderAttack = autoUnderAttack != null && autoUnderAttack;
        originMaxConcurrent = originMaxConcurrent == null ? 0 : originMaxConcurrent;
        originQueue = originQueue == null ? 0 : originQueue;
    }

    public static DdosConfig defaults() { return new DdosConfig(null, null, null, null, null, null); }
}
