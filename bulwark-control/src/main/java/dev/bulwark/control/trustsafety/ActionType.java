package dev.bulwark.control.trustsafety;

import java.util.Locale;

/**
 * What trust and safety can do to a zone. Only {@link #TERMINATE} needs a second operator's
 * approval: the others leave the site reachable and are quick to undo.
 */
public enum ActionType {
    /** Tell the owner; service unchanged. */
    WARN,
    /** Every visitor must pass the challenge (under-attack mode) and nothing is cached. */
    RESTRICT,
    /** Specific URLs answer with the notice page; the rest of the site is served. */
    BLOCK_URLS,
    /** The whole zone answers with the notice page. */
    TERMINATE,
    /** Lift earlier actions (all of a zone's, or one). */
    RESTORE;

    @com.fasterxml.jackson.annotation.JsonValue
    public String wire() { return name().toLowerCase(Locale.ROOT); }

    public boolean needsSecondOperator() { return this == TERMINATE; }

    public static ActionType parse(String s) {
        String n = s == null ? "" : s.trim().toUpperCase(Locale.ROOT).replace('-', '_');
        for (ActionType t : values()) if (t.name().equals(n)) return t;
        return null;
    }
}
