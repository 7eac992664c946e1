package dev.bulwark.control.trustsafety;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** Reports built in memory for the pure triage and escalation tests. */
final class Reports {
    private static final AtomicInteger SEQ = new AtomicInteger();

    private Reports() {}

    static AbuseReport report(String zone, Category c, String url, long at) {
        return new AbuseReport("rep_" + SEQ.incrementAndGet(), c, zone, List.of(url), "description", null, null, null, false,
                ReportStatus.RECEIVED, at, at);
    }
}
