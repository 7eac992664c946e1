package dev.bulwark.control.trustsafety;

import dev.bulwark.core.config.EnforcementConfig;

import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;

/**
 * The zone's {@link EnforcementConfig} as a pure function of its applied, unreversed actions, so
 * the config the edges see can always be recomputed from the record of decisions: the zone takes
 * the status of its most severe action (terminate > restrict > warn), that action's reason,
 * legal flag, statement and date; every block-URLs action contributes its paths. Each notice
 * links the appeal form of the action it shows.
 */
public final class EnforcementState {
    private EnforcementState() {}

    /**
     * @param reportUrl the public abuse form, or null
     * @param appealUrl an action id's public appeal form, or null when the public address is unknown
     */
    public static EnforcementConfig derive(List<EnforcementAction> actions, String reportUrl, Function<String, String> appealUrl) {
        EnforcementAction top = null;
        List<EnforcementConfig.BlockedUrl> blocked = new ArrayList<>();
        List<EnforcementAction> applied = actions.stream().filter(a -> a.status() == EnforcementAction.Status.APPLIED)
                .sorted(Comparator.comparingLong(a -> a.appliedAt() == null ? 0 : a.appliedAt())).toList();
        for (EnforcementAction a : applied) {
            if (a.type() == ActionType.BLOCK_URLS) {
                for (String u : a.urls()) {
                    blocked.add(new EnforcementConfig.BlockedUrl(pathOf(u), a.reason(), a.legal(), a.statementUrl(), iso(a.appliedAt()),
                            appealUrl.apply(a.id())));
                }
            } else if (statusOf(a.type()) != null && (top == null || severity(a.type()) >= severity(top.type()))) {
                top = a;
            }
        }
        if (top == null) return new EnforcementConfig(null, null, null, null, null, blocked, reportUrl, null);
        return new EnforcementConfig(statusOf(top.type()), top.reason(), top.legal(), top.statementUrl(), iso(top.appliedAt()), blocked, reportUrl,
                appealUrl.apply(top.id()));
    }

    private static EnforcementConfig.Status statusOf(ActionType t) {
        return switch (t) {
            case WARN -> EnforcementConfig.Status.WARNED;
            case RESTRICT -> EnforcementConfig.Status.RESTRICTED;
            case TERMINATE -> EnforcementConfig.Status.TERMINATED;
            case BLOCK_URLS, RESTORE -> null;
        };
    }

    /** terminate > restrict > warn; URL blocks and restores add no zone status. */
    static int severity(ActionType t) {
        return switch (t) {
            case WARN -> 1;
            case RESTRICT -> 2;
            case TERMINATE -> 3;
            case BLOCK_URLS, RESTORE -> 0;
        };
    }

    /** The path of a reported URL, keeping a trailing {@code *} (prefix block). */
    static String pathOf(String url) {
        boolean prefix = url.endsWith("*");
        String u = prefix ? url.substring(0, url.length() - 1) : url;
        String path;
        try {
            path = URI.create(u).getRawPath();
        } catch (IllegalArgumentException e) {
            path = null;
        }
        if (path == null || path.isEmpty()) path = "/";
        return prefix ? path + "*" : path;
    }

    private static String iso(Long at) { return at == null ? null : Instant.ofEpochMilli(at).toString(); }
}
