package dev.bulwark.control.trustsafety;

import dev.bulwark.control.audit.AuditEntry;
import dev.bulwark.control.audit.AuditLog;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The public transparency report of one half-year, computed from the store and never typed by
 * hand: reports received by category, actions applied by type, zones affected, the median time
 * from the first threat-to-life report an action rests on to that action, the operator's
 * standing statements, and the audit chain's head hash at the time of computing (publishing it
 * anchors the chain: truncating the log later would no longer match).
 */
public record TransparencyReport(String period, long from, long to, int reportsReceived, Map<String, Integer> reportsByCategory,
                                 int actionsTaken, Map<String, Integer> actionsByType, int zonesAffected,
                                 Double medianMinutesThreatToAction, int threatCasesMeasured, int actionsReversed,
                                 List<StandingStatement> statements, long auditEntries, String auditHead) {

    static TransparencyReport compute(ReportPeriod p, ReportStore reports, EnforcementStore actions, StatementStore statements, AuditLog audit) {
        List<AbuseReport> received = reports.receivedBetween(p.from(), p.to());
        Map<String, Integer> byCategory = new LinkedHashMap<>();
        for (Category c : Category.values()) byCategory.put(c.wire(), 0);
        for (AbuseReport r : received) byCategory.merge(r.category().wire(), 1, Integer::sum);

        List<EnforcementAction> applied = actions.appliedBetween(p.from(), p.to());
        Map<String, Integer> byType = new LinkedHashMap<>();
        for (ActionType t : ActionType.values()) byType.put(t.wire(), 0);
        Set<String> zones = new HashSet<>();
        int reversed = 0;
        List<Long> threatDelays = new ArrayList<>();
        Map<String, AbuseReport> cited = new HashMap<>();
        List<String> citedIds = applied.stream().flatMap(a -> a.reportIds().stream()).distinct().toList();
        for (AbuseReport r : reports.byIds(citedIds)) cited.put(r.id(), r);
        for (EnforcementAction a : applied) {
            byType.merge(a.type().wire(), 1, Integer::sum);
            if (a.type() != ActionType.RESTORE) zones.add(a.zoneId());
            if (a.status() == EnforcementAction.Status.REVERSED) reversed++;
            long firstThreat = Long.MAX_VALUE;
            for (String id : a.reportIds()) {
                AbuseReport r = cited.get(id);
                if (r != null && r.category() == Category.THREAT_TO_LIFE) firstThreat = Math.min(firstThreat, r.receivedAt());
            }
            if (firstThreat != Long.MAX_VALUE && a.appliedAt() != null) threatDelays.add(a.appliedAt() - firstThreat);
        }
        Double median = null;
        if (!threatDelays.isEmpty()) {
            threatDelays.sort(Long::compare);
            int n = threatDelays.size();
            double ms = n % 2 == 1 ? threatDelays.get(n / 2) : (threatDelays.get(n / 2 - 1) + threatDelays.get(n / 2)) / 2.0;
            median = Math.round(ms / 60_000.0 * 10) / 10.0;
        }
        List<AuditEntry> last = audit.newest(null, Long.MAX_VALUE, 1);
        return new TransparencyReport(p.name(), p.from(), p.to(), received.size(), byCategory, applied.size(), byType, zones.size(),
                median, threatDelays.size(), reversed, statements.all(), last.isEmpty() ? 0 : last.get(0).id(),
                last.isEmpty() ? null : last.get(0).hash());
    }
}
