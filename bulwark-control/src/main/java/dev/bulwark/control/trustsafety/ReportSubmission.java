package dev.bulwark.control.trustsafety;

import java.util.List;

/**
 * An abuse report as the public sent it, before validation: every field as received (the
 * category as text, so an unknown one is reported as a field error rather than a parse failure).
 */
public record ReportSubmission(String category, List<String> urls, String description, String evidence,
                               String reporterName, String reporterContact, Boolean forwardToOwner) {
    public ReportSubmission {
        urls = urls == null ? List.of() : urls.stream().map(u -> u == null ? "" : u.trim()).filter(u -> !u.isEmpty()).toList();
    }
}
