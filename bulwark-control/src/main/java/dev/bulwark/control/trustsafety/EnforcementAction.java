package dev.bulwark.control.trustsafety;

import java.util.List;
import java.util.Locale;

/**
 * One enforcement decision and its life: proposed (by one operator), applied (approved by a
 * second one when the type needs it), rejected, or expired (not approved before
 * {@code expiresAt}); an applied action is later reversed by a restore or a successful appeal.
 * {@code priorUnderAttack} remembers the zone's own under-attack setting before a restrict, so
 * lifting it puts back what the owner had. {@code expiresAt} is set on proposals only.
 * {@code hostnames} are the hostnames the action was decided for, recorded when it applies
 * (the zone's hostnames for a termination or restriction, the blocked URLs' hosts for a URL
 * block): enforcement follows them ({@link EnforcedHostnames}), not only the zone id.
 */
public record EnforcementAction(String id, String zoneId, ActionType type, List<String> urls, String reason, boolean legal,
                                String statementUrl, List<String> reportIds, Status status,
                                String proposedById, String proposedBy, long proposedAt,
                                String approvedById, String approvedBy, Long appliedAt,
                                String reversedBy, Long reversedAt, Boolean priorUnderAttack, Long expiresAt,
                                List<String> hostnames) {
    public enum Status {
        PROPOSED, APPLIED, REJECTED, REVERSED, EXPIRED;

        @com.fasterxml.jackson.annotation.JsonValue
        public String wire() { return name().toLowerCase(Locale.ROOT); }

        static Status parse(String s) { return valueOf(s.toUpperCase(Locale.ROOT)); }
    }

    public EnforcementAction {
        urls = List.copyOf(urls);
        reportIds = List.copyOf(reportIds);
        hostnames = hostnames == null ? List.of() : List.copyOf(hostnames);
    }

    /** An action with no hostnames recorded (a proposal, or a row from before they were). */
    public EnforcementAction(String id, String zoneId, ActionType type, List<String> urls, String reason, boolean legal,
                             String statementUrl, List<String> reportIds, Status status,
                             String proposedById, String proposedBy, long proposedAt,
                             String approvedById, String approvedBy, Long appliedAt,
                             String reversedBy, Long reversedAt, Boolean priorUnderAttack, Long expiresAt) {
        this(id, zoneId, type, urls, reason, legal, statementUrl, reportIds, status, proposedById, proposedBy, proposedAt,
                approvedById, approvedBy, appliedAt, reversedBy, reversedAt, priorUnderAttack, expiresAt, List.of());
    }

    EnforcementAction applied(String byId, String by, long at, Boolean priorUnderAttack, List<String> hostnames) {
        return new EnforcementAction(id, zoneId, type, urls, reason, legal, statementUrl, reportIds, Status.APPLIED,
                proposedById, proposedBy, proposedAt, byId, by, at, null, null, priorUnderAttack, expiresAt, hostnames);
    }

    EnforcementAction rejected(String byId, String by, long at) {
        return new EnforcementAction(id, zoneId, type, urls, reason, legal, statementUrl, reportIds, Status.REJECTED,
                proposedById, proposedBy, proposedAt, byId, by, at, null, null, priorUnderAttack, expiresAt, hostnames);
    }

    EnforcementAction reversed(String by, long at) {
        return new EnforcementAction(id, zoneId, type, urls, reason, legal, statementUrl, reportIds, Status.REVERSED,
                proposedById, proposedBy, proposedAt, approvedById, approvedBy, appliedAt, by, at, priorUnderAttack, expiresAt, hostnames);
    }

    EnforcementAction expired() {
        return new EnforcementAction(id, zoneId, type, urls, reason, legal, statementUrl, reportIds, Status.EXPIRED,
                proposedById, proposedBy, proposedAt, null, null, null, null, null, priorUnderAttack, expiresAt, hostnames);
    }

    /** This action as it stands at {@code now}: an overdue proposal is shown expired (the timer records it). */
    EnforcementAction asOf(long now) { return overdue(now) ? expired() : this; }

    /** What an appeal may be filed against: a decision in force (applied), not a restore. */
    boolean appealable() { return status == Status.APPLIED && type != ActionType.RESTORE; }

    /** A proposal whose approval window has passed at {@code now} (whether or not it is recorded yet). */
    boolean overdue(long now) {
        return status == Status.PROPOSED && expiresAt != null && now >= expiresAt;
    }
}
