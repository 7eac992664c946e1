package dev.bulwark.control.audit;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

import java.util.List;
import java.util.Optional;

/**
 * Appends to and reads the hash-chained audit table. {@link #append} must be called with the
 * handle of the transaction that makes the change it records, so the change and its record
 * commit or vanish together; that transaction must hold the store's
 * {@link dev.bulwark.control.store.WriteLock}, so appends queue. The UNIQUE constraint on {@code prev_hash} turns a race between
 * two writers into a failed transaction (retried by the caller) instead of a forked chain.
 */
public final class AuditLog {
    static final String COLUMNS = "id, at, actor, action, target, before_state, after_state, prev_hash, hash";

    private final Jdbi jdbi;

    public AuditLog(Jdbi jdbi) { this.jdbi = jdbi; }

    /** Records one change inside {@code tx}; returns the entry written. */
    public static AuditEntry append(Handle tx, long at, String actor, String action, String target,
                                    String before, String after) {
        Optional<AuditEntry> last = tx.createQuery("SELECT " + COLUMNS + " FROM audit_entry ORDER BY id DESC LIMIT 1")
                .map(AuditLog::map).findOne();
        long id = last.map(e -> e.id() + 1).orElse(1L);
        String prev = last.map(AuditEntry::hash).orElse(AuditHasher.GENESIS);
        String hash = AuditHasher.hash(id, at, actor, action, target, before, after, prev);
        tx.createUpdate("INSERT INTO audit_entry (" + COLUMNS + ") VALUES (:id, :at, :actor, :action, :target, :before, :after, :prev, :hash)")
                .bind("id", id).bind("at", at).bind("actor", actor).bind("action", action).bind("target", target)
                .bind("before", before).bind("after", after).bind("prev", prev).bind("hash", hash)
                .execute();
        return new AuditEntry(id, at, actor, action, target, before, after, prev, hash);
    }

    /** Entries with id greater than {@code afterId}, oldest first, at most {@code limit}. */
    public List<AuditEntry> page(long afterId, int limit) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM audit_entry WHERE id > :after ORDER BY id LIMIT :limit")
                .bind("after", afterId).bind("limit", limit).map(AuditLog::map).list());
    }

    /** Entries about {@code target} or every entry when null, newest first, ids below {@code beforeId}. */
    public List<AuditEntry> newest(String target, long beforeId, int limit) {
        return jdbi.withHandle(h -> {
            var q = h.createQuery("SELECT " + COLUMNS + " FROM audit_entry WHERE id < :before"
                    + (target == null ? "" : " AND target = :target") + " ORDER BY id DESC LIMIT :limit");
            if (target != null) q.bind("target", target);
            return q.bind("before", beforeId).bind("limit", limit).map(AuditLog::map).list();
        });
    }

    static AuditEntry map(java.sql.ResultSet rs, org.jdbi.v3.core.statement.StatementContext ctx) throws java.sql.SQLException {
        return new AuditEntry(rs.getLong("id"), rs.getLong("at"), rs.getString("actor"), rs.getString("action"),
                rs.getString("target"), rs.getString("before_state"), rs.getString("after_state"),
                rs.getString("prev_hash"), rs.getString("hash"));
    }
}
