package dev.bulwark.control.auth;

import java.util.Set;

/**
 * Who is calling: the operator behind a verified token, the token's permissions and the
 * zones it may touch ({@code allZones} for a token scoped to {@code *}).
 */
public record Principal(String operatorId, String operatorName, Role role, String tokenId,
                        Set<Permission> permissions, boolean allZones, Set<String> zones) {
    public boolean can(Permission p) { return permissions.contains(p); }

    public boolean canSeeZone(String zoneId) { return allZones || zones.contains(zoneId); }

    /** How audit entries name this caller. */
    public String actor() { return operatorName + " (token " + tokenId + ")"; }
}
