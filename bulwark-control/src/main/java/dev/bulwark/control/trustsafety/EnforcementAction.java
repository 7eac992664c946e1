package dev.bulwark.control.trustsafety;

import java.util.List;
import java.util.Locale;

/**
 * One enforcement decision and its life: proposed (by one operator), applied (approved by a
 * second one when the type needs it), or rejected; an applied action is later reversed by a
 * restore or a successful appeal. {@code priorUnderAttack} remembers the zone's own
 * under-attack setting before a restrict, so lifting it puts back what the owner had.
 */
public record EnforcementAction(String id, String zoneId, ActionType type, List<String> urls, String reason, boolean legal,
                                String statementUrl, List<String> reportIds, Status status,
                                String proposedById, String proposedBy, long proposedAt,
                                String approvedById, String approvedBy, Long appliedAt,
                                String reversedBy, Long reversedAt, Boolean priorUnderAttack) {
    public enum Status {
        PROPOSED, APPLIED, REJECTED, REVERSED;

        @com.fasterxml.jackson.annotation.JsonValue
        public String wire() { return name().toLowerCase(Locale.ROOT); }

        static Status parse(String s) { return valueOf(s.toUpperCase(Locale.ROOT)); }
    }

    public EnforcementAction {
        urls = List.copyOf(urls);
        reportIds = List.copyOf(reportIds);
    }

    EnforcementAction applied(String byId, String by, long at, Boolean priorUnderAttack) {
        return new EnforcementAction(id, zoneId, type, urls, reason, legal, statementUrl, reportIds, Status.APPLIED,
                proposedById, proposedBy, proposedAt, byId, by, at, null, null, priorUnderAttack);
    }

    EnforcementAction rejected(String byId, String by, long at) {
        return new EnforcementAction(id, zoneId, type, urls, reason, legal, statementUrl, reportIds, Status.REJECTED,
                proposedById, proposedBy, proposedAt, byId, by, at, null, null, priorUnderAttack);
    }

    EnforcementAction reversed(String by, long at) {
        return new EnforcementAction(id, zoneId, type, urls, reason, legal, statementUrl, reportIds, Status.REVERSED,
                proposedById, proposedBy, proposedAt, approvedById, approvedBy, appliedAt, by, at, priorUnderAttack);
    }
}
