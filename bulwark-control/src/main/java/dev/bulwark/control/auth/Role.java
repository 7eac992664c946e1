package dev.bulwark.control.auth;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * An operator's role bounds every token the operator holds: a token's permissions are
 * always a subset of its operator's role's.
 */
public enum Role {
    OWNER(EnumSet.allOf(Permission.class)),
    ADMIN(EnumSet.allOf(Permission.class)),
    TRUST_SAFETY(EnumSet.of(Permission.ZONES_READ, Permission.CONFIG_READ, Permission.AUDIT_READ, Permission.ANALYTICS_READ)),
    VIEWER(EnumSet.of(Permission.ZONES_READ, Permission.CONFIG_READ, Permission.ANALYTICS_READ));

    private final Set<Permission> permissions;

    Role(Set<Permission> permissions) { this.permissions = Set.copyOf(permissions); }

    public Set<Permission> permissions() { return permissions; }

    public static Role parse(String s) {
        String n = s == null ? "" : s.trim().toUpperCase(Locale.ROOT).replace('-', '_');
        for (Role r : values()) if (r.name().equals(n)) return r;
        throw new IllegalArgumentException("unknown role '" + s + "'");
    }
}
