package dev.bulwark.control.trustsafety;

import dev.bulwark.control.audit.AuditLog;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

import java.util.List;
import java.util.Optional;

/** The operator's standing statements; edits are audited ({@code statement.put}). */
public final class StatementStore {
    private final Jdbi jdbi;

    public StatementStore(Jdbi jdbi) { this.jdbi = jdbi; }

    static void put(Handle tx, StandingStatement s) {
        Optional<StandingStatement> before = find(tx, s.id());
        tx.createUpdate("DELETE FROM standing_statement WHERE id = :id").bind("id", s.id()).execute();
        tx.createUpdate("INSERT INTO standing_statement (id, title, body, updated_by, updated_at) VALUES (:id, :t, :b, :by, :at)")
                .bind("id", s.id()).bind("t", s.title()).bind("b", s.body()).bind("by", s.updatedBy()).bind("at", s.updatedAt()).execute();
        AuditLog.append(tx, s.updatedAt(), s.updatedBy(), "statement.put", "statement:" + s.id(),
                before.map(Canonical::of).orElse(null), Canonical.of(s));
    }

    static Optional<StandingStatement> find(Handle h, String id) {
        return h.createQuery("SELECT id, title, body, updated_by, updated_at FROM standing_statement WHERE id = :id").bind("id", id)
                .map((rs, c) -> new StandingStatement(rs.getString("id"), rs.getString("title"), rs.getString("body"),
                        rs.getString("updated_by"), rs.getLong("updated_at"))).findOne();
    }

    public List<StandingStatement> all() {
        return jdbi.withHandle(h -> h.createQuery("SELECT id, title, body, updated_by, updated_at FROM standing_statement ORDER BY id")
                .map((rs, c) -> new StandingStatement(rs.getString("id"), rs.getString("title"), rs.getString("body"),
                        rs.getString("updated_by"), rs.getLong("updated_at"))).list());
    }
}
