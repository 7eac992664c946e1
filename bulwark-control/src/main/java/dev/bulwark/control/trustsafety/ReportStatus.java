package dev.bulwark.control.trustsafety;

import java.util.Locale;

/** Where a report is in its handling. */
public enum ReportStatus {
    RECEIVED, IN_REVIEW, ACTIONED, CLOSED;

    @com.fasterxml.jackson.annotation.JsonValue
    public String wire() { return name().toLowerCase(Locale.ROOT); }

    public boolean open() { return this == RECEIVED || this == IN_REVIEW; }

    public static ReportStatus parse(String s) {
        String n = s == null ? "" : s.trim().toUpperCase(Locale.ROOT).replace('-', '_');
        for (ReportStatus r : values()) if (r.name().equals(n)) return r;
        throw new IllegalArgumentException("unknown report status '" + s + "' (received, in_review, actioned, closed)");
    }
}
