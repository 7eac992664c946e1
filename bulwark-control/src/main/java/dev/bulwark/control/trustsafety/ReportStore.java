package dev.bulwark.control.trustsafety;

import dev.bulwark.control.audit.AuditLog;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The abuse-report table. Writes take the caller's transaction handle, so a report, its audit
 * entry and the notifications it causes commit together or not at all; every write appends
 * its audit entry ({@code abuse_report.*} on target {@code abuse-report:<id>}).
 */
public final class ReportStore {
    private static final String COLUMNS = "id, category, zone_id, urls, description, evidence, reporter_name, reporter_contact, "
            + "forward_to_owner, status, received_at, updated_at";

    private final Jdbi jdbi;

    public ReportStore(Jdbi jdbi) { this.jdbi = jdbi; }

    static void insert(Handle tx, AbuseReport r, String actor) {
        tx.createUpdate("INSERT INTO abuse_report (" + COLUMNS + ") VALUES (:id, :category, :zone, :urls, :description, :evidence, "
                        + ":name, :contact, :forward, :status, :received, :updated)")
                .bind("id", r.id()).bind("category", r.category().wire()).bind("zone", r.zoneId())
                .bind("urls", String.join("\n", r.urls())).bind("description", r.description()).bind("evidence", r.evidence())
                .bind("name", r.reporterName()).bind("contact", r.reporterContact()).bind("forward", r.forwardToOwner())
                .bind("status", r.status().wire()).bind("received", r.receivedAt()).bind("updated", r.updatedAt())
                .execute();
        AuditLog.append(tx, r.receivedAt(), actor, "abuse_report.create", target(r.id()), null, Canonical.of(auditView(r)));
    }

    static void updateStatus(Handle tx, AbuseReport before, ReportStatus status, long at, String actor) {
        AbuseReport after = before.withStatus(status, at);
        tx.createUpdate("UPDATE abuse_report SET status = :s, updated_at = :t WHERE id = :id")
                .bind("s", status.wire()).bind("t", at).bind("id", before.id()).execute();
        AuditLog.append(tx, at, actor, "abuse_report.status", target(before.id()),
                Canonical.of(auditView(before)), Canonical.of(auditView(after)));
    }

    static Optional<AbuseReport> find(Handle h, String id) {
        return h.createQuery("SELECT " + COLUMNS + " FROM abuse_report WHERE id = :id").bind("id", id).map(ReportStore::map).findOne();
    }

    public Optional<AbuseReport> find(String id) { return jdbi.withHandle(h -> find(h, id)); }

    /** Reports newest first, optionally only of one zone and/or status; at most {@code limit}. */
    public List<AbuseReport> list(String zoneId, ReportStatus status, int limit) {
        return jdbi.withHandle(h -> {
            var q = h.createQuery("SELECT " + COLUMNS + " FROM abuse_report WHERE 1 = 1"
                    + (zoneId == null ? "" : " AND zone_id = :zone") + (status == null ? "" : " AND status = :status")
                    + " ORDER BY received_at DESC, id LIMIT :limit");
            if (zoneId != null) q.bind("zone", zoneId);
            if (status != null) q.bind("status", status.wire());
            return q.bind("limit", limit).map(ReportStore::map).list();
        });
    }

    /** Open reports (received or in review), for the triage queue. */
    public List<AbuseReport> open(int limit) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM abuse_report WHERE status IN ('received', 'in_review')"
                + " ORDER BY received_at LIMIT :limit").bind("limit", limit).map(ReportStore::map).list());
    }

    /** A zone's reports received at or after {@code since}, oldest first (the escalation history). */
    public List<AbuseReport> zoneHistory(String zoneId, long since, int limit) {
        return jdbi.withHandle(h -> zoneHistory(h, zoneId, since, limit));
    }

    static List<AbuseReport> zoneHistory(Handle h, String zoneId, long since, int limit) {
        return h.createQuery("SELECT " + COLUMNS + " FROM abuse_report WHERE zone_id = :zone AND received_at >= :since"
                        + " ORDER BY received_at LIMIT :limit")
                .bind("zone", zoneId).bind("since", since).bind("limit", limit).map(ReportStore::map).list();
    }

    /** Reports received in [from, to). */
    public List<AbuseReport> receivedBetween(long from, long to) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM abuse_report WHERE received_at >= :from AND received_at < :to ORDER BY received_at")
                .bind("from", from).bind("to", to).map(ReportStore::map).list());
    }

    static List<AbuseReport> byIds(Handle h, List<String> ids) {
        if (ids.isEmpty()) return List.of();
        return h.createQuery("SELECT " + COLUMNS + " FROM abuse_report WHERE id IN (<ids>)").bindList("ids", ids).map(ReportStore::map).list();
    }

    public List<AbuseReport> byIds(List<String> ids) { return jdbi.withHandle(h -> byIds(h, ids)); }

    static String target(String id) { return "abuse-report:" + id; }

    /** What the audit chain keeps of a report: no reporter identity, which stays in the report row only. */
    private static java.util.Map<String, Object> auditView(AbuseReport r) {
        java.util.Map<String, Object> m = new java.util.TreeMap<>();
        m.put("category", r.category().wire());
        m.put("zone", r.zoneId());
        m.put("urls", r.urls());
        m.put("forward_to_owner", r.forwardToOwner());
        m.put("named_reporter", r.reporterName() != null || r.reporterContact() != null);
        m.put("status", r.status().wire());
        return m;
    }

    static AbuseReport map(ResultSet rs, org.jdbi.v3.core.statement.StatementContext ctx) throws SQLException {
        String urls = rs.getString("urls");
        return new AbuseReport(rs.getString("id"), Category.parse(rs.getString("category")), rs.getString("zone_id"),
                urls.isEmpty() ? List.of() : Arrays.asList(urls.split("\n")), rs.getString("description"), rs.getString("evidence"),
                rs.getString("reporter_name"), rs.getString("reporter_contact"), rs.getBoolean("forward_to_owner"),
                ReportStatus.parse(rs.getString("status")), rs.getLong("received_at"), rs.getLong("updated_at"));
    }
}
