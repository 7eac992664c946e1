package dev.bulwark.control.trustsafety;

import dev.bulwark.control.audit.AuditLog;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** Enforcement actions and appeals. Every write appends its audit entry in the caller's transaction. */
public final class EnforcementStore {
    private static final String COLUMNS = "id, zone_id, type, urls, reason, legal, statement_url, report_ids, status, proposed_by_id, "
            + "proposed_by, proposed_at, approved_by_id, approved_by, applied_at, reversed_by, reversed_at, prior_under_attack, expires_at, hostnames";
    private static final String APPEAL_COLUMNS = "id, action_id, appellant, statement, status, filed_at, decided_by, decided_at, decision";

    private final Jdbi jdbi;

    public EnforcementStore(Jdbi jdbi) { this.jdbi = jdbi; }

    static void insert(Handle tx, EnforcementAction a, String auditAction, String actor, long at) {
        tx.createUpdate("INSERT INTO enforcement_action (" + COLUMNS + ") VALUES (:id, :zone, :type, :urls, :reason, :legal, :statement, "
                        + ":reports, :status, :pbid, :pb, :pat, :abid, :ab, :aat, :rb, :rat, :prior, :exp, :hosts)")
                .bind("id", a.id()).bind("zone", a.zoneId()).bind("type", a.type().wire()).bind("urls", String.join("\n", a.urls()))
                .bind("reason", a.reason()).bind("legal", a.legal()).bind("statement", a.statementUrl())
                .bind("reports", String.join("\n", a.reportIds())).bind("status", a.status().wire())
                .bind("pbid", a.proposedById()).bind("pb", a.proposedBy()).bind("pat", a.proposedAt())
                .bind("abid", a.approvedById()).bind("ab", a.approvedBy()).bind("aat", a.appliedAt())
                .bind("rb", a.reversedBy()).bind("rat", a.reversedAt()).bind("prior", a.priorUnderAttack())
                .bind("exp", a.expiresAt()).bind("hosts", hostLines(a)).execute();
        AuditLog.append(tx, at, actor, auditAction, target(a.id()), null, Canonical.of(a));
    }

    static void update(Handle tx, EnforcementAction before, EnforcementAction after, String auditAction, String actor, long at) {
        tx.createUpdate("UPDATE enforcement_action SET status = :status, approved_by_id = :abid, approved_by = :ab, applied_at = :aat, "
                        + "reversed_by = :rb, reversed_at = :rat, prior_under_attack = :prior, hostnames = :hosts WHERE id = :id")
                .bind("status", after.status().wire()).bind("abid", after.approvedById()).bind("ab", after.approvedBy())
                .bind("aat", after.appliedAt()).bind("rb", after.reversedBy()).bind("rat", after.reversedAt())
                .bind("prior", after.priorUnderAttack()).bind("hosts", hostLines(after)).bind("id", after.id()).execute();
        AuditLog.append(tx, at, actor, auditAction, target(after.id()), Canonical.of(before), Canonical.of(after));
    }

    static Optional<EnforcementAction> find(Handle h, String id) {
        return h.createQuery("SELECT " + COLUMNS + " FROM enforcement_action WHERE id = :id").bind("id", id).map(EnforcementStore::map).findOne();
    }

    public Optional<EnforcementAction> find(String id) { return jdbi.withHandle(h -> find(h, id)); }

    static List<EnforcementAction> ofZone(Handle h, String zone) {
        return h.createQuery("SELECT " + COLUMNS + " FROM enforcement_action WHERE zone_id = :z ORDER BY proposed_at, id")
                .bind("z", zone).map(EnforcementStore::map).list();
    }

    /** Every applied action (what is in force), oldest first. */
    static List<EnforcementAction> applied(Handle h) {
        return h.createQuery("SELECT " + COLUMNS + " FROM enforcement_action WHERE status = 'applied' ORDER BY proposed_at, id")
                .map(EnforcementStore::map).list();
    }

    /** Proposals whose approval window closed at or before {@code now}, not yet marked expired. */
    List<EnforcementAction> overdueProposals(long now) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM enforcement_action WHERE status = 'proposed' "
                        + "AND expires_at IS NOT NULL AND expires_at <= :now ORDER BY expires_at, id LIMIT 1000")
                .bind("now", now).map(EnforcementStore::map).list());
    }

    /** Actions newest first, optionally of one zone. */
    public List<EnforcementAction> list(String zone, int limit) {
        return jdbi.withHandle(h -> {
            var q = h.createQuery("SELECT " + COLUMNS + " FROM enforcement_action" + (zone == null ? "" : " WHERE zone_id = :z")
                    + " ORDER BY proposed_at DESC, id LIMIT :limit");
            if (zone != null) q.bind("z", zone);
            return q.bind("limit", limit).map(EnforcementStore::map).list();
        });
    }

    /** Actions applied in [from, to), whatever happened to them later. */
    public List<EnforcementAction> appliedBetween(long from, long to) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM enforcement_action WHERE applied_at >= :from AND applied_at < :to "
                        + "AND status IN ('applied', 'reversed') ORDER BY applied_at")
                .bind("from", from).bind("to", to).map(EnforcementStore::map).list());
    }

    static void insertAppeal(Handle tx, Appeal a, String actor) {
        tx.createUpdate("INSERT INTO appeal (" + APPEAL_COLUMNS + ") VALUES (:id, :action, :who, :statement, :status, :at, NULL, NULL, NULL)")
                .bind("id", a.id()).bind("action", a.actionId()).bind("who", a.appellant()).bind("statement", a.statement())
                .bind("status", a.status().wire()).bind("at", a.filedAt()).execute();
        AuditLog.append(tx, a.filedAt(), actor, "appeal.file", target(a.actionId()), null, Canonical.of(a));
    }

    static void decideAppeal(Handle tx, Appeal before, Appeal after) {
        tx.createUpdate("UPDATE appeal SET status = :s, decided_by = :by, decided_at = :at, decision = :d WHERE id = :id")
                .bind("s", after.status().wire()).bind("by", after.decidedBy()).bind("at", after.decidedAt())
                .bind("d", after.decision()).bind("id", after.id()).execute();
        AuditLog.append(tx, after.decidedAt(), after.decidedBy(), "appeal.decide", target(after.actionId()),
                Canonical.of(before), Canonical.of(after));
    }

    static Optional<Appeal> findAppeal(Handle h, String id) {
        return h.createQuery("SELECT " + APPEAL_COLUMNS + " FROM appeal WHERE id = :id").bind("id", id).map(EnforcementStore::mapAppeal).findOne();
    }

    public List<Appeal> appeals(String actionId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + APPEAL_COLUMNS + " FROM appeal WHERE action_id = :a ORDER BY filed_at, id")
                .bind("a", actionId).map(EnforcementStore::mapAppeal).list());
    }

    static String target(String id) { return "enforcement:" + id; }

    private static String hostLines(EnforcementAction a) { return a.hostnames().isEmpty() ? null : String.join("\n", a.hostnames()); }

    private static List<String> lines(String s) { return s == null || s.isEmpty() ? List.of() : Arrays.asList(s.split("\n")); }

    private static EnforcementAction map(ResultSet rs, org.jdbi.v3.core.statement.StatementContext ctx) throws SQLException {
        Object prior = rs.getObject("prior_under_attack");
        return new EnforcementAction(rs.getString("id"), rs.getString("zone_id"), ActionType.parse(rs.getString("type")),
                lines(rs.getString("urls")), rs.getString("reason"), rs.getBoolean("legal"), rs.getString("statement_url"),
                lines(rs.getString("report_ids")), EnforcementAction.Status.parse(rs.getString("status")),
                rs.getString("proposed_by_id"), rs.getString("proposed_by"), rs.getLong("proposed_at"),
                rs.getString("approved_by_id"), rs.getString("approved_by"), Rows.nullableLong(rs, "applied_at"),
                rs.getString("reversed_by"), Rows.nullableLong(rs, "reversed_at"),
                prior == null ? null : rs.getBoolean("prior_under_attack"), Rows.nullableLong(rs, "expires_at"),
                lines(rs.getString("hostnames")));
    }

    private static Appeal mapAppeal(ResultSet rs, org.jdbi.v3.core.statement.StatementContext ctx) throws SQLException {
        return new Appeal(rs.getString("id"), rs.getString("action_id"), rs.getString("appellant"), rs.getString("statement"),
                Appeal.Status.valueOf(rs.getString("status").toUpperCase(java.util.Locale.ROOT)), rs.getLong("filed_at"),
                rs.getString("decided_by"), Rows.nullableLong(rs, "decided_at"), rs.getString("decision"));
    }
}
