package dev.bulwark.control.trustsafety;

import dev.bulwark.control.api.ApiException;
import dev.bulwark.control.auth.Principal;
import dev.bulwark.control.auth.Role;

/**
 * Who may take enforcement decisions. Only trust-and-safety operators (and the owner and
 * admins, who hold every power) may act, and only on zones their token reaches; a viewer can
 * neither propose nor approve. An action that needs a second operator is approved by an
 * operator other than the one who proposed it: a different operator, not merely a different
 * token of the same person. Pure checks; a refusal is a 403 (not allowed) or 409 (wrong state).
 */
public final class TwoPersonRule {
    private TwoPersonRule() {}

    public static boolean mayAct(Principal p) {
        return p.role() == Role.TRUST_SAFETY || p.role() == Role.OWNER || p.role() == Role.ADMIN;
    }

    /** Throws unless {@code p} may take trust-and-safety decisions on {@code zone}. */
    public static void checkMayAct(Principal p, String zone) {
        if (!mayAct(p)) {
            throw new ApiException(403, "Forbidden", "operator '" + p.operatorName() + "' has role " + p.role().name().toLowerCase(java.util.Locale.ROOT)
                    + "; enforcement needs the trust_safety role");
        }
        if (zone != null) dev.bulwark.control.api.Access.requireScope(p, zone);
    }

    /** Throws unless {@code approver} may approve {@code a}. */
    public static void checkMayApprove(Principal approver, EnforcementAction a) {
        checkMayAct(approver, a.zoneId());
        if (a.status() == EnforcementAction.Status.EXPIRED) {
            throw new ApiException(409, "Conflict", "action " + a.id() + " expired at " + java.time.Instant.ofEpochMilli(a.expiresAt())
                    + " without a second operator's approval; propose it again");
        }
        if (a.status() != EnforcementAction.Status.PROPOSED) {
            throw new ApiException(409, "Conflict", "action " + a.id() + " is " + a.status().wire() + ", not proposed");
        }
        if (approver.operatorId().equals(a.proposedById())) {
            throw new ApiException(403, "Forbidden", "the operator who proposed action " + a.id()
                    + " cannot approve it; a second trust-and-safety operator must");
        }
    }
}
