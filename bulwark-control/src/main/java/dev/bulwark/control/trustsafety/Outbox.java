package dev.bulwark.control.trustsafety;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

import java.util.List;

/**
 * The notification outbox: messages are inserted in the transaction that decided to send them
 * (so a rolled-back report sends nothing and a committed one is never forgotten) and delivered
 * afterwards by the {@link OutboxDispatcher}.
 */
public final class Outbox {
    private static final String COLUMNS = "id, kind, recipient, subject, body, report_id, created_at, attempts, next_attempt_at, delivered_at, failed_at, last_error";
    private final Jdbi jdbi;

    public Outbox(Jdbi jdbi) { this.jdbi = jdbi; }

    static Notification enqueue(Handle tx, String kind, String recipient, String subject, String body, String reportId, long now) {
        Notification n = new Notification(Ids.next("ntf"), kind, recipient, subject, body, reportId, now, 0, now, null, null, null);
        tx.createUpdate("INSERT INTO notification_outbox (" + COLUMNS + ") VALUES (:id, :kind, :to, :subject, :body, :report, :at, 0, :at, NULL, NULL, NULL)")
                .bind("id", n.id()).bind("kind", kind).bind("to", recipient).bind("subject", subject).bind("body", body)
                .bind("report", reportId).bind("at", now).execute();
        return n;
    }

    /** Undelivered, not given up, due at {@code now}; oldest first. */
    public List<Notification> due(long now, int limit) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM notification_outbox WHERE delivered_at IS NULL AND failed_at IS NULL "
                + "AND next_attempt_at <= :now ORDER BY next_attempt_at, id LIMIT :limit").bind("now", now).bind("limit", limit).map(Outbox::map).list());
    }

    void delivered(String id, long now) {
        jdbi.useHandle(h -> h.createUpdate("UPDATE notification_outbox SET delivered_at = :t, attempts = attempts + 1 WHERE id = :id")
                .bind("t", now).bind("id", id).execute());
    }

    void attemptFailed(String id, String error, long nextAttempt, boolean giveUp, long now) {
        jdbi.useHandle(h -> h.createUpdate("UPDATE notification_outbox SET attempts = attempts + 1, last_error = :e, next_attempt_at = :n"
                        + (giveUp ? ", failed_at = :t" : "") + " WHERE id = :id")
                .bind("e", error == null ? "" : error.substring(0, Math.min(1000, error.length()))).bind("n", nextAttempt)
                .bind("t", now).bind("id", id).execute());
    }

    /** Every notification, newest first, optionally about one report. */
    public List<Notification> list(String reportId, int limit) {
        return jdbi.withHandle(h -> {
            var q = h.createQuery("SELECT " + COLUMNS + " FROM notification_outbox" + (reportId == null ? "" : " WHERE report_id = :r")
                    + " ORDER BY created_at DESC, id LIMIT :limit");
            if (reportId != null) q.bind("r", reportId);
            return q.bind("limit", limit).map(Outbox::map).list();
        });
    }

    private static Notification map(java.sql.ResultSet rs, org.jdbi.v3.core.statement.StatementContext ctx) throws java.sql.SQLException {
        return new Notification(rs.getString("id"), rs.getString("kind"), rs.getString("recipient"), rs.getString("subject"),
                rs.getString("body"), rs.getString("report_id"), rs.getLong("created_at"), rs.getInt("attempts"),
                rs.getLong("next_attempt_at"), Rows.nullableLong(rs, "delivered_at"), Rows.nullableLong(rs, "failed_at"),
                rs.getString("last_error"));
    }
}
