package dev.bulwark.control.analytics;

import java.util.Locale;

/** What the heavy-hitter lists rank. */
public enum TopDimension {
    CLIENTS, PATHS, USER_AGENTS, PREFIXES;

    public String wire() { return name().toLowerCase(Locale.ROOT); }

    public static TopDimension parse(String s) {
        for (TopDimension d : values()) if (d.wire().equals(s)) return d;
        throw new IllegalArgumentException("unknown dimension '" + s + "' (clients, paths, user_agents, prefixes)");
    }
}
