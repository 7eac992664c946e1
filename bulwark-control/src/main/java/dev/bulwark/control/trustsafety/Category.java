package dev.bulwark.control.trustsafety;

import java.util.Locale;

/**
 * What an abuse report is about. Each category carries its triage rank (lower is more urgent),
 * its weight in the escalation score, whether a named complainant is required (legal claims
 * need one), and whether the report may ever be forwarded to the site's owner (never for
 * child sexual abuse material or non-consensual intimate imagery: forwarding would hand the
 * material's publisher the reporter's details and the evidence).
 */
public enum Category {
    THREAT_TO_LIFE(0, 100, false, true),
    CSAM(1, 90, false, false),
    NCII(2, 80, false, false),
    DOXXING(3, 60, false, true),
    HARASSMENT(4, 30, false, true),
    PHISHING(5, 20, false, true),
    MALWARE(6, 20, false, true),
    COPYRIGHT(7, 5, true, true),
    TRADEMARK(8, 5, true, true),
    OTHER(9, 2, false, true);

    private final int rank;
    private final int weight;
    private final boolean needsNamedComplainant;
    private final boolean forwardable;

    Category(int rank, int weight, boolean needsNamedComplainant, boolean forwardable) {
        this.rank = rank;
        this.weight = weight;
        this.needsNamedComplainant = needsNamedComplainant;
        this.forwardable = forwardable;
    }

    public int rank() { return rank; }

    public int weight() { return weight; }

    public boolean needsNamedComplainant() { return needsNamedComplainant; }

    public boolean forwardable() { return forwardable; }

    @com.fasterxml.jackson.annotation.JsonValue
    public String wire() { return name().toLowerCase(Locale.ROOT); }

    /** Plain words for pages. */
    public String label() {
        return switch (this) {
            case THREAT_TO_LIFE -> "Threats of violence or to life";
            case CSAM -> "Child sexual abuse material";
            case NCII -> "Non-consensual intimate imagery";
            case DOXXING -> "Publication of personal information (doxxing)";
            case HARASSMENT -> "Harassment";
            case PHISHING -> "Phishing";
            case MALWARE -> "Malware";
            case COPYRIGHT -> "Copyright";
            case TRADEMARK -> "Trademark";
            case OTHER -> "Other";
        };
    }

    /** Parses the wire name; null when unknown. */
    public static Category parse(String s) {
        if (s == null) return null;
        String n = s.trim().toUpperCase(Locale.ROOT).replace('-', '_');
        for (Category c : values()) if (c.name().equals(n)) return c;
        return null;
    }
}
