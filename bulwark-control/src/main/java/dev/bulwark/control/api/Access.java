package dev.bulwark.control.api;

import dev.bulwark.control.auth.Permission;
import dev.bulwark.control.auth.Principal;

/**
 * The permission and zone checks of every control-plane operation, on the caller's principal:
 * the API's routes and the dashboard refuse through these, with the same 403 problems.
 */
public final class Access {
    private Access() {}

    public static Principal require(Principal p, Permission permission) {
        if (!p.can(permission)) throw new ApiException(403, "Forbidden", "this token lacks the " + permission.wire() + " permission");
        return p;
    }

    public static Principal requireZone(Principal p, Permission permission, String zone) {
        require(p, permission);
        return requireScope(p, zone);
    }

    /** Refuses a token not scoped to {@code zone}, whatever it may do there (trust and safety checks roles, not permissions). */
    public static Principal requireScope(Principal p, String zone) {
        if (!p.canSeeZone(zone)) throw new ApiException(403, "Forbidden", "this token is not scoped to zone '" + zone + "'");
        return p;
    }

    public static Principal requireAllZones(Principal p, Permission permission) {
        require(p, permission);
        if (!p.allZones()) throw new ApiException(403, "Forbidden", "this call needs a token scoped to every zone");
        return p;
    }

    /** Whether {@link #requireZone} lets {@code p} through: the dashboard offers only what the call would allow. */
    public static boolean mayZone(Principal p, Permission permission, String zone) { return p.can(permission) && p.canSeeZone(zone); }

    /** Whether {@link #requireAllZones} lets {@code p} through. */
    public static boolean mayAllZones(Principal p, Permission permission) { return p.can(permission) && p.allZones(); }
}
