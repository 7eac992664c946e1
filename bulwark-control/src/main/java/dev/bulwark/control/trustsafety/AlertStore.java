package dev.bulwark.control.trustsafety;

import dev.bulwark.control.audit.AuditLog;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

import java.util.List;
import java.util.Optional;

/** Stored escalation alerts; raising one is audited ({@code escalation.raise}). */
public final class AlertStore {
    private static final String COLUMNS = "id, zone_id, window_name, reports, score, baseline, trend, summary, raised_at";
    private final Jdbi jdbi;

    public AlertStore(Jdbi jdbi) { this.jdbi = jdbi; }

    static void insert(Handle tx, EscalationAlert a) {
        tx.createUpdate("INSERT INTO escalation_alert (" + COLUMNS + ") VALUES (:id, :zone, :w, :n, :score, :baseline, :trend, :summary, :at)")
                .bind("id", a.id()).bind("zone", a.zoneId()).bind("w", a.window()).bind("n", a.reports()).bind("score", a.score())
                .bind("baseline", a.baseline()).bind("trend", a.trend()).bind("summary", a.summary()).bind("at", a.raisedAt()).execute();
        AuditLog.append(tx, a.raisedAt(), "bulwark (escalation)", "escalation.raise", "zone:" + a.zoneId(), null, Canonical.of(a));
    }

    /** The latest alert of a zone for a window, if any. */
    static Optional<EscalationAlert> latest(Handle h, String zone, String window) {
        return h.createQuery("SELECT " + COLUMNS + " FROM escalation_alert WHERE zone_id = :zone AND window_name = :w ORDER BY raised_at DESC LIMIT 1")
                .bind("zone", zone).bind("w", window).map(AlertStore::map).findOne();
    }

    /** Alerts newest first, optionally of one zone. */
    public List<EscalationAlert> list(String zone, int limit) {
        return jdbi.withHandle(h -> {
            var q = h.createQuery("SELECT " + COLUMNS + " FROM escalation_alert" + (zone == null ? "" : " WHERE zone_id = :zone")
                    + " ORDER BY raised_at DESC, id LIMIT :limit");
            if (zone != null) q.bind("zone", zone);
            return q.bind("limit", limit).map(AlertStore::map).list();
        });
    }

    private static EscalationAlert map(java.sql.ResultSet rs, org.jdbi.v3.core.statement.StatementContext ctx) throws java.sql.SQLException {
        return new EscalationAlert(rs.getString("id"), rs.getString("zone_id"), rs.getString("window_name"), rs.getInt("reports"),
                rs.getDouble("score"), rs.getDouble("baseline"), rs.getString("trend"), rs.getString("summary"), rs.getLong("raised_at"));
    }
}
