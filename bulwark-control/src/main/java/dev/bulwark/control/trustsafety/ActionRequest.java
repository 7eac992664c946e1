package dev.bulwark.control.trustsafety;

import java.util.List;

/**
 * An operator's request to act on a zone: the type, the URLs (block_urls only), a reason in
 * plain words (it is shown to visitors), whether the reason is legal (451 instead of 403), the
 * public statement URL, and the reports the decision rests on.
 */
public record ActionRequest(String zoneId, String type, List<String> urls, String reason, Boolean legal,
                            String statementUrl, List<String> reportIds) {
    public ActionRequest {
        urls = urls == null ? List.of() : List.copyOf(urls);
        reportIds = reportIds == null ? List.of() : List.copyOf(reportIds);
    }
}
