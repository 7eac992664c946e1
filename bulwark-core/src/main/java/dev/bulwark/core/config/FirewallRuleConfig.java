package dev.bulwark.core.config;

import java.util.List;

/**
 * A firewall rule of a zone: a Wireshark-style expression and the action taken when it
 * matches. {@code mode: log} evaluates and counts the rule without enforcing its action.
 */
public record FirewallRuleConfig(String id, String description, String expression, Action action,
                                 List<String> skipPhases, Mode mode) {
    public enum Action { BLOCK, CHALLENGE, ALLOW, SKIP, LOG }

    public enum Mode { ENFORCE, LOG }

    public FirewallRuleConfig {
        skipPhases = skipPhases == null ? List.of() : List.copyOf(skipPhases);
        mode = mode == null ? Mode.ENFORCE : mode;
    }
}
