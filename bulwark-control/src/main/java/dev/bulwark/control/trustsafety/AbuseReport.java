package dev.bulwark.control.trustsafety;

import java.util.List;

/** A stored abuse report. Times are epoch milliseconds. */
public record AbuseReport(String id, Category category, String zoneId, List<String> urls, String description,
                          String evidence, String reporterName, String reporterContact, boolean forwardToOwner,
                          ReportStatus status, long receivedAt, long updatedAt) {
    public AbuseReport {
        urls = List.copyOf(urls);
    }

    public AbuseReport withStatus(ReportStatus s, long at) {
        return new AbuseReport(id, category, zoneId, urls, description, evidence, reporterName, reporterContact,
                forwardToOwner, s, receivedAt, at);
    }
}
