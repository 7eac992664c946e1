package dev.bulwark.control.auth;

import java.util.Locale;

/** What a token may do. Written {@code zones:read} etc. in the API. */
public enum Permission {
    ZONES_READ, ZONES_WRITE, CONFIG_READ, CONFIG_WRITE, TOKENS_WRITE, AUDIT_READ, ANALYTICS_READ;

    public String wire() { return name().toLowerCase(Locale.ROOT).replace('_', ':'); }

    public static Permission parse(String wire) {
        String n = wire == null ? "" : wire.trim().toUpperCase(Locale.ROOT).replace(':', '_');
        for (Permission p : values()) if (p.name().equals(n)) return p;
        throw new IllegalArgumentException("unknown permission '" + wire + "'");
    }
}
